// JSON without silent changes (pure). `JSON.parse` turns integers beyond 2^53 into the nearest double
// and `JSON.stringify` cannot write a bigint and recurses (a 6,000-deep value overflows the stack).
// These iterative versions keep integers exact as bigint, take any depth, and are used only for the
// lines and values that need them, so the fast path stays on the engine's own JSON.

const UNSAFE = 2 ** 53;

/** True when a parsed value holds a number JSON.parse may have rounded (|n| ≥ 2^53, Infinity included). Iterative. */
export function hasUnsafeNumber(root: unknown): boolean {
  if (typeof root === 'number') return root >= UNSAFE || root <= -UNSAFE;
  if (typeof root !== 'object' || root === null) return false;
  const stack: object[] = [root];
  while (stack.length) {
    const o = stack.pop()!;
    if (Array.isArray(o)) {
      for (const v of o) {
        if (typeof v === 'number') { if (v >= UNSAFE || v <= -UNSAFE) return true; } else if (typeof v === 'object' && v !== null) stack.push(v);
      }
      continue;
    }
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'number') { if (v >= UNSAFE || v <= -UNSAFE) return true; } else if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
  return false;
}

/**
 * The record data of an Airbyte RECORD line with every integer exact (bigint beyond 2^53), merged
 * into `current` (the fast parse, possibly changed since: strings made well-formed, fields nulled for
 * size): only numbers and nested values are taken from the exact parse.
 */
export function exactRecordData(line: string, current: Record<string, unknown>): Record<string, unknown> {
  const exact = (parseJsonLossless(line) as { record?: { data?: unknown } } | null)?.record?.data;
  if (typeof exact !== 'object' || exact === null || Array.isArray(exact)) return current;
  const e = exact as Record<string, unknown>;
  makeWellFormed(e);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(current)) {
    const c = current[k];
    define(out, k, (typeof c === 'number' || (typeof c === 'object' && c !== null)) && Object.hasOwn(e, k) ? e[k] : c);
  }
  return out;
}

/**
 * A number literal no double can hold (`1e400`): JSON.parse makes it Infinity, which JSON.stringify
 * writes as null. Kept as its text; toJsonText writes it back as it came.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
  /** JSON.stringify gives up on it (TypeError), so toJsonText's own writer prints the text. */
  toJSON(): never { throw new TypeError(`the number ${this.text} is beyond the range of a double`); }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const TOKEN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;

/**
 * JSON.parse, but integer literals outside ±(2^53−1) become bigint and literals beyond the range of a
 * double become JsonNumberText. Iterative: any depth.
 */
export function parseJsonLossless(text: string): unknown {
  let i = 0;
  const n = text.length;
  const skip = (): void => { while (i < n && WS.has(text.charCodeAt(i))) i++; };
  const fail = (what: string): never => { throw new SyntaxError(`${what} at position ${i}`); };
  // Containers being filled: an array, or an object with the key waiting for its value.
  const stack: ({ arr: unknown[] } | { obj: Record<string, unknown>; key: string | undefined })[] = [];
  let root: unknown;
  let done = false;

  const scalarString = (): string => {
    const end = stringEnd(text, i);
    if (end < 0) fail('unterminated string');
    const s = JSON.parse(text.slice(i, end + 1)) as string;
    i = end + 1;
    return s;
  };
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) { root = v; done = true; return; }
    if ('arr' in top) top.arr.push(v);
    else { define(top.obj, top.key!, v); top.key = undefined; }
  };
  const afterValue = (): void => {
    // Close containers or move on to the next element.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (!top) return;
      const c = text.charCodeAt(i);
      if (c === 0x2c) { i++; if ('obj' in top) readKey(top); return; }
      const close = 'arr' in top ? 0x5d : 0x7d;
      if (c !== close) fail('expected "," or a closing bracket');
      i++;
      stack.pop();
      put('arr' in top ? top.arr : top.obj);
      if (done) return;
    }
  };
  const readKey = (top: { obj: Record<string, unknown>; key: string | undefined }): void => {
    skip();
    if (text.charCodeAt(i) !== 0x22) fail('expected a property name');
    top.key = scalarString();
    skip();
    if (text.charCodeAt(i) !== 0x3a) fail('expected ":"');
    i++;
  };

  while (!done) {
    skip();
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      i++; skip();
      const obj: Record<string, unknown> = {};
      if (text.charCodeAt(i) === 0x7d) { i++; put(obj); } else { const top = { obj, key: undefined as string | undefined }; stack.push(top); readKey(top); continue; }
    } else if (c === 0x5b) {
      i++; skip();
      const arr: unknown[] = [];
      if (text.charCodeAt(i) === 0x5d) { i++; put(arr); } else { stack.push({ arr }); continue; }
    } else if (c === 0x22) {
      put(scalarString());
    } else {
      TOKEN.lastIndex = i;
      const m = TOKEN.exec(text);
      if (!m) fail('unexpected token');
      const tok = m![0];
      i += tok.length;
      if (tok === 'true') put(true);
      else if (tok === 'false') put(false);
      else if (tok === 'null') put(null);
      else if (m![1] === undefined && m![2] === undefined && tok.replace('-', '').length >= 16 && !Number.isSafeInteger(Number(tok))) put(BigInt(tok));
      else { const num = Number(tok); put(Number.isFinite(num) ? num : new JsonNumberText(tok)); }
    }
    if (done) break;
    afterValue();
  }
  skip();
  if (i !== n) fail('unexpected text after the value');
  return root;
}

/** Index of the closing quote of the string starting at `from` (a quote), or -1. */
function stringEnd(text: string, from: number): number {
  for (let j = from + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j;
  }
  return -1;
}

/** Sets an own property even for names like `__proto__`. */
function define(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * JSON text of a value: the engine's JSON.stringify when it can (no bigint, normal depth), otherwise
 * an iterative writer that writes bigints as exact integer literals. Lone surrogates come out as
 * JSON.stringify writes them (`\udxxx` escapes); callers that need well-formed text clean strings first.
 */
export function toJsonText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
    return writeIterative(v);
  }
}

function writeIterative(value: unknown): string {
  const out: string[] = [];
  // Work items: a value to write, or literal text (separators and closers).
  const work: ({ v: unknown } | { t: string })[] = [{ v: value }];
  while (work.length) {
    const w = work.pop()!;
    if ('t' in w) { out.push(w.t); continue; }
    const v = w.v;
    if (typeof v === 'bigint') { out.push(v.toString()); continue; }
    if (v === null || typeof v !== 'object') { out.push(JSON.stringify(v) ?? 'null'); continue; }
    if (v instanceof JsonNumberText) { out.push(v.text); continue; }
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') { out.push(JSON.stringify(v)); continue; }
    if (Array.isArray(v)) {
      out.push('[');
      work.push({ t: ']' });
      for (let k = v.length - 1; k >= 0; k--) {
        const x = v[k];
        work.push({ v: x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x });
        if (k > 0) work.push({ t: ',' });
      }
      continue;
    }
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
    out.push('{');
    work.push({ t: '}' });
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, x] = entries[k]!;
      work.push({ v: x });
      work.push({ t: `${k > 0 ? ',' : ''}${JSON.stringify(key)}:` });
    }
  }
  return out.join('');
}

// String.prototype.isWellFormed / toWellFormed (Node 20; not yet in the ES2023 lib typings).
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };
export const isWellFormed = (s: string): boolean => (s as unknown as WellFormed).isWellFormed();
export const toWellFormed = (s: string): string => (s as unknown as WellFormed).toWellFormed();

/**
 * Replaces lone surrogates (not representable in UTF-8) with U+FFFD in every string and key of a
 * record's data, iteratively. Returns the top-level fields that changed (empty when none did).
 */
export function makeWellFormed(data: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const key of Object.keys(data)) {
    const fixedKey = isWellFormed(key) ? key : toWellFormed(key);
    let hit = fixedKey !== key;
    const v = data[key];
    let nv = v;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) { nv = toWellFormed(v); hit = true; }
    } else if (v !== null && typeof v === 'object') {
      hit = fixNested(v) || hit;
    }
    if (fixedKey !== key) { delete data[key]; define(data, fixedKey, nv); } else if (nv !== v) data[key] = nv;
    if (hit) changed.push(fixedKey);
  }
  return changed;
}

function fixNested(root: object): boolean {
  let hit = false;
  const stack: object[] = [root];
  while (stack.length) {
    const o = stack.pop() as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const v = o[key];
      let nv = v;
      if (typeof v === 'string' && !isWellFormed(v)) { nv = toWellFormed(v); hit = true; }
      else if (v !== null && typeof v === 'object') stack.push(v);
      if (!Array.isArray(o) && !isWellFormed(key)) {
        delete o[key];
        define(o, toWellFormed(key), nv);
        hit = true;
      } else if (nv !== v) o[key] = nv;
    }
  }
  return hit;
}
