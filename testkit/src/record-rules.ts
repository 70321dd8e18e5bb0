// Pure record rules CAT's TestBasicRead applies beyond plain JSON-schema validation
// (connector_acceptance_test/utils/asserts.py and tests/test_core.py):
// - strict integers: a value written `1.0` is not an integer (JSON.parse cannot tell, so the raw
//   line is scanned for number literals);
// - CAT's date-time format: `YYYY-M-D(T| )H:M:S[.f]…` that a lenient parser accepts;
// - record structure: a stream's records share at least one field path with its schema.

type Node = Record<string, unknown>;
const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/** JSON pointers (RFC 6901) of the number literals in `json` written with a fraction or an exponent. */
export function nonIntegerLiterals(json: string): Map<string, string> {
  const out = new Map<string, string>();
  const path: (string | number)[] = [];
  const stack: { kind: '{' | '['; keyed: boolean }[] = [];
  let i = 0;
  let expectKey = false;
  const pointer = () => `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  while (i < json.length) {
    const c = json[i]!;
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (expectKey && top) { path.push(JSON.parse(json.slice(i, j + 1)) as string); top.keyed = true; expectKey = false; }
      i = j + 1;
    } else if (c === '{') { stack.push({ kind: '{', keyed: false }); expectKey = true; i++; }
    else if (c === '[') { stack.push({ kind: '[', keyed: true }); path.push(0); i++; }
    else if (c === '}' || c === ']') { if (stack.pop()?.keyed) path.pop(); expectKey = false; i++; }
    else if (c === ',' && top) {
      if (top.kind === '[') path[path.length - 1] = (path[path.length - 1] as number) + 1;
      else { if (top.keyed) path.pop(); top.keyed = false; expectKey = true; }
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(json)!;
      if (m[1] || m[2]) out.set(pointer(), m[0]);
      i += m[0].length;
    } else i++;
  }
  return out;
}

function typesOf(node: Node): string[] {
  return (Array.isArray(node.type) ? node.type : [node.type]).filter((t): t is string => typeof t === 'string');
}

/** Problems for literals (pointers relative to the record's data) that sit where the schema wants only integers. */
export function strictIntegerProblems(schema: unknown, literals: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [ptr, literal] of literals) {
    let node: unknown = schema;
    for (const part of ptr.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
      if (!isObject(node)) { node = undefined; break; }
      if (isObject(node.properties) && part in node.properties) node = node.properties[part];
      else if (/^\d+$/.test(part) && isObject(node.items)) node = node.items;
      else { node = undefined; break; }
    }
    if (isObject(node)) {
      const t = typesOf(node);
      if (t.includes('integer') && !t.includes('number')) out.push(`${ptr} is ${literal}, not an integer (CAT checks integers strictly)`);
    }
  }
  return out;
}

const TIMESTAMP = /^\d{4}-\d?\d-\d?\d(\s|T)\d?\d:\d?\d:\d?\d(.\d+)?.*$/;

/** CAT's CustomFormatChecker.check_datetime: its timestamp regex plus a lenient parse. */
export function isCatDateTime(value: string): boolean {
  if (!TIMESTAMP.test(value)) return false;
  const m = /^(\d{4})-(\d?\d)-(\d?\d)(?:\s|T)(\d?\d):(\d?\d):(\d?\d)(\.\d+)?(.*)$/.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , zone] = m;
  const pad = (x: string | undefined) => x!.padStart(2, '0');
  const tz = zone!.trim();
  if (tz && !/^(Z|[+-]\d\d(:?\d\d)?)$/i.test(tz)) return false;
  const iso = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${tz ? (tz.length === 3 ? `${tz}:00` : tz) : 'Z'}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return false;
  // Date.parse rolls 2026-02-31 over to March; a lenient parser still rejects it.
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 61;
}

/** Field paths (`a`, `a.b`, `list.[].x`) of a schema's properties, recursively. */
export function schemaPaths(schema: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (!isObject(schema)) return out;
  if (isObject(schema.properties)) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      for (const q of schemaPaths(sub, p)) out.add(q);
    }
  }
  if (isObject(schema.items)) for (const q of schemaPaths(schema.items, prefix ? `${prefix}.[]` : '[]')) out.add(q);
  return out;
}

/** Field paths present in a value. */
export function valuePaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) { for (const v of value) valuePaths(v, prefix ? `${prefix}.[]` : '[]', out); return out; }
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.add(p);
    valuePaths(v, p, out);
  }
  return out;
}

/** CAT: a stream's records must share at least one field path with its schema. */
export function sharedPathProblem(stream: string, schema: unknown, records: Record<string, unknown>[]): string | undefined {
  if (!records.length) return undefined;
  const wanted = schemaPaths(schema);
  const seen = new Set<string>();
  for (const r of records) valuePaths(r, '', seen);
  return [...seen].some((p) => wanted.has(p)) ? undefined : `${stream}: no record shares a field with the stream's schema (fields seen: ${[...seen].slice(0, 8).join(', ') || 'none'})`;
}
