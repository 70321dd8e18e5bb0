// Object naming (pure): path templates, sanitised variable values and time-ordered sequence numbers.
// Sequences never depend on listing the bucket: they come from the clock, a per-process counter and
// a random suffix, so they sort in write order across syncs even after users delete loaded files.

export const DEFAULT_TEMPLATE = '{namespace}/{stream}/{yyyy}/{mm}/{dd}/{stream}_{sequence}_{sync_id}_{part}.{ext}';
/** Customer.io's standard export names: `<stream>_v4_<workspace_id>_<sequence>.parquet`. */
export const CUSTOMERIO_TEMPLATE = '{stream}_v4_{workspace_id}_{sequence}.{ext}';
export const PRESETS: Readonly<Record<string, string>> = { default: DEFAULT_TEMPLATE, customerio: CUSTOMERIO_TEMPLATE };

export const TEMPLATE_VARIABLES = [
  'namespace', 'stream', 'yyyy', 'mm', 'dd', 'hh', 'epoch', 'sync_id', 'generation_id', 'sequence', 'part', 'ext', 'workspace_id',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface KeyVariables {
  namespace?: string | undefined;
  stream: string;
  /** Epoch ms of the file's creation (date parts are UTC). */
  epochMs: number;
  syncId: number | string;
  generationId: number;
  sequence: string;
  part: number;
  ext: string;
  workspaceId?: string | undefined;
}

/** Resolves a preset name or returns the template; throws (with a user message) when it is unusable. */
export function resolveTemplate(template: string): string {
  const t = PRESETS[template.trim()] ?? template.trim();
  const problem = templateProblem(t);
  if (problem) throw new Error(`path_template "${template}" ${problem}`);
  return t;
}

export function templateProblem(t: string): string | undefined {
  if (t === '') return 'is empty';
  for (const m of t.matchAll(/\{([^}]*)\}/g)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(m[1]!)) {
      return `uses unknown variable {${m[1]}}; known: ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')}`;
    }
  }
  if (!t.includes('{sequence}')) return 'must contain {sequence} so that every object key is new';
  const literal = t.replace(/\{[^}]*\}/g, 'x');
  if (/[\\\0-\x1f\x7f]/.test(literal)) return 'contains a backslash or control character';
  if (literal.startsWith('/')) return 'must be relative (no leading "/")';
  if (literal.split('/').some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." segments';
  if (t.endsWith('/')) return 'must end with a file name, not "/"';
  if (/^[A-Za-z]:/.test(literal)) return 'must not start with a drive letter such as "C:"';
  if (literal.split('/').some((s) => Buffer.byteLength(s) > 200)) return 'has a path segment longer than 200 bytes';
  return undefined;
}

/**
 * Makes a value safe inside one path segment: no `/`, `\`, NUL or control characters, no leading dot
 * (no `.`/`..` segments, no hidden/temp names), at most `maxLength` characters and UTF-8 bytes. Keeps letters, digits, `-`, `_`, `.`,
 * `=` and non-ASCII letters; everything else becomes `_`.
 */
export function sanitiseSegment(value: string, maxLength = 200): string {
  let s = value.normalize('NFC').replace(/[^\p{L}\p{N}\-_.=]/gu, '_');
  if (s.startsWith('.')) s = `_${s.slice(1)}`;
  if (s.length > maxLength) s = s.slice(0, maxLength);
  // Never end with a lone high surrogate after slicing.
  if (/[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1);
  // Bounded in UTF-8 bytes too (file systems allow 255 bytes per name): whole code points only.
  if (Buffer.byteLength(s) > maxLength) {
    let bytes = 0;
    let end = 0;
    for (const ch of s) {
      const b = Buffer.byteLength(ch);
      if (bytes + b > maxLength) break;
      bytes += b;
      end += ch.length;
    }
    s = s.slice(0, end);
  }
  return s === '' ? '_' : s;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Renders an object key (relative to the store root) from a validated template. */
export function renderKey(template: string, v: KeyVariables): string {
  const d = new Date(v.epochMs);
  const values: Record<TemplateVariable, string> = {
    namespace: v.namespace ? sanitiseSegment(v.namespace) : '',
    stream: sanitiseSegment(v.stream),
    yyyy: pad(d.getUTCFullYear(), 4),
    mm: pad(d.getUTCMonth() + 1, 2),
    dd: pad(d.getUTCDate(), 2),
    hh: pad(d.getUTCHours(), 2),
    epoch: String(v.epochMs),
    sync_id: sanitiseSegment(String(v.syncId)),
    generation_id: String(v.generationId),
    sequence: sanitiseSegment(v.sequence),
    part: pad(v.part, 5),
    ext: v.ext,
    workspace_id: sanitiseSegment(v.workspaceId ?? 'unknown'),
  };
  const raw = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => values[name as TemplateVariable] ?? '');
  // An empty variable (no namespace) must not leave an empty folder level.
  const segments = raw.split('/').filter((s) => s !== '').map((s) => (s === '.' || s === '..' ? '_' : s.startsWith('.') ? `_${s.slice(1)}` : s));
  // Data never lands in the destination's own folders (a stream named `_manifests`): escape them.
  if (segments.length && RESERVED_FOLDERS.includes(segments[0]!.toLowerCase())) segments[0] = `_${segments[0]}`;
  return segments.join('/');
}

export const MANIFEST_FOLDER = '_manifests';
/** Top-level folders only the destination writes (manifests, check probes); data keys never start there. */
export const RESERVED_FOLDERS: readonly string[] = [MANIFEST_FOLDER, '_airbyte_check'];

/** Key of the manifest written after a flush batch. */
export function manifestKey(sequence: string): string {
  return `${MANIFEST_FOLDER}/${sanitiseSegment(sequence)}.json`;
}

/**
 * Time-ordered, fixed-width decimal sequence numbers: 14 digits of epoch ms, 4 digits of a
 * per-process counter (monotonic even if the clock steps back), 4 random digits against collisions
 * between concurrent writers. Lexicographic order = numeric order = write order.
 */
export class SequenceGenerator {
  private lastMs = 0;
  private counter = 0;
  constructor(private readonly now: () => number, private readonly random: () => number = Math.random) {}

  next(): string {
    let ms = Math.max(Math.floor(this.now()), this.lastMs);
    if (ms === this.lastMs) {
      this.counter++;
      if (this.counter > 9999) { ms = this.lastMs + 1; this.counter = 0; }
    } else {
      this.counter = 0;
    }
    this.lastMs = ms;
    const rnd = Math.floor(this.random() * 10000) % 10000;
    return `${pad(ms, 14)}${pad(this.counter, 4)}${pad(rnd, 4)}`;
  }
}
