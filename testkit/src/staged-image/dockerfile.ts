// Pure parsing of the connector Dockerfiles and the root .dockerignore, so the staged-image test and
// the image-contents test read what the images are made of from the files Docker reads, never from a
// second copy of the rules. Only the instructions our Dockerfiles use are understood; anything else is
// an error (a Dockerfile that outgrows this parser must fail the tests, not be half-understood).

export interface CopyInstruction { sources: string[]; dest: string; from?: string; chown?: string }
export interface Stage {
  name?: string;
  from: string;
  workdir: string;
  copies: CopyInstruction[];
  runs: string[];
  env: Record<string, string>;
  entrypoint?: string[];
  user?: string;
  labels: Record<string, string>;
}

/** Joins continuation lines and drops comments and blank lines; returns [instruction, rest] pairs. */
export function instructions(text: string): [string, string][] {
  const out: [string, string][] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!current && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (current && line.trimStart().startsWith('#')) continue;
    if (line.endsWith('\\')) { current += `${line.slice(0, -1)} `; continue; }
    current += line;
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(current);
    if (!m) throw new Error(`Dockerfile: cannot parse line "${current.trim()}"`);
    out.push([m[1]!.toUpperCase(), m[2]!.trim()]);
    current = '';
  }
  if (current) throw new Error('Dockerfile: ends with a line continuation');
  return out;
}

/** Splits `KEY=value KEY2="quoted value"` (Docker's ENV/LABEL syntax with `=`). */
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_.-]*)=("((?:[^"\\]|\\.)*)"|(\S*))/g;
  let rest = text.trim();
  let m: RegExpExecArray | null;
  while (rest && (m = re.exec(rest)) && m.index === 0) {
    out[m[1]!] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4]!;
    rest = rest.slice(m[0].length).trim();
    re.lastIndex = 0;
  }
  if (rest) throw new Error(`Dockerfile: cannot parse key=value list "${text}" (only KEY=value forms are supported)`);
  return out;
}

function parseCopy(rest: string): CopyInstruction {
  const words = rest.split(/\s+/);
  const copy: Partial<CopyInstruction> = {};
  while (words[0]?.startsWith('--')) {
    const flag = /^--(from|chown)=(.+)$/.exec(words.shift()!);
    if (!flag) throw new Error(`Dockerfile: unsupported COPY flag in "COPY ${rest}"`);
    copy[flag[1] as 'from' | 'chown'] = flag[2]!;
  }
  if (words.length < 2 || rest.includes('[')) throw new Error(`Dockerfile: COPY needs sources and a destination (shell form): "COPY ${rest}"`);
  return { ...copy, sources: words.slice(0, -1), dest: words[words.length - 1]! };
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const [op, rest] of instructions(text)) {
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new Error(`Dockerfile: cannot parse "FROM ${rest}"`);
      stages.push({ from: m[1]!, ...(m[2] ? { name: m[2] } : {}), workdir: '/', copies: [], runs: [], env: {}, labels: {} });
      continue;
    }
    const stage = stages[stages.length - 1];
    if (!stage) throw new Error(`Dockerfile: ${op} before FROM`);
    switch (op) {
      case 'WORKDIR': stage.workdir = rest.startsWith('/') ? rest : `${stage.workdir.replace(/\/$/, '')}/${rest}`; break;
      case 'COPY': stage.copies.push(parseCopy(rest)); break;
      case 'RUN': stage.runs.push(rest); break;
      case 'ENV': Object.assign(stage.env, keyValues(rest)); break;
      case 'LABEL': Object.assign(stage.labels, keyValues(rest)); break;
      case 'USER': stage.user = rest; break;
      case 'ENTRYPOINT': {
        const argv = JSON.parse(rest) as unknown;
        if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new Error('Dockerfile: ENTRYPOINT must be the exec (JSON array) form');
        stage.entrypoint = argv;
        break;
      }
      case 'EXPOSE': break;
      default: throw new Error(`Dockerfile: instruction ${op} is not understood by testkit/src/staged-image`);
    }
  }
  return stages;
}

/** Paths (relative to the build context) that COPY instructions without --from take from the context. */
export function contextSources(stages: Stage[]): string[] {
  return stages.flatMap((s) => s.copies.filter((c) => !c.from).flatMap((c) => c.sources)).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, '') || '.');
}

/** A .dockerignore as a predicate over context-relative paths (Docker semantics for the forms used:
 *  `name`, `dir/sub`, `**` segments, `*` and `?` inside a segment, `!` exceptions; last match wins;
 *  a pattern that matches a parent folder excludes everything under it). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const negate = l.startsWith('!');
    const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
    const re = pattern.split('/').map((seg) => seg === '**' ? '(?:[^/]+/)*' : `${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}/`).join('');
    return { negate, re: new RegExp(`^${re.replace(/\/$/, '')}$`.replace('(?:[^/]+/)*$', '.*$')) };
  });
  return (path: string) => {
    const parts = path.replace(/^\.\//, '').split('/');
    let excluded = false;
    for (const r of rules) {
      for (let i = 1; i <= parts.length; i++) {
        if (r.re.test(parts.slice(0, i).join('/'))) { excluded = !r.negate; break; }
      }
    }
    return excluded;
  };
}

/** The words of a shell-free command line such as AIRBYTE_ENTRYPOINT ("node /path/bin.js"). */
export function words(command: string): string[] {
  if (/["'\\$`|;&<>]/.test(command)) throw new Error(`expected a plain command without quoting or shell syntax: ${command}`);
  return command.trim().split(/\s+/);
}
