// Builds, on this machine, the folder a connector image would have at its WORKDIR, from the
// connector's Dockerfile and the root .dockerignore (no Docker engine here):
//   - build stage COPY lines: the named context paths, filtered by .dockerignore, into the stage's /src;
//   - its RUN line: `npx tsc -b <c>` is stood in for by the fresh dist/ of each copied workspace (the
//     suite builds first: tsc's output is a function of the same sources), and
//     `npm ci --omit=dev --workspace <c>` is really run, in the staging folder, against the registry
//     (with --ignore-scripts; packages with install scripts, i.e. native addons, then take their built
//     files from the repository's own install of the same lockfile entry, version checked);
//   - final stage `COPY --from=build /src/ <WORKDIR>`: the staging folder *is* that WORKDIR.
// The installed node_modules is cached in .tmp/staged-images/ under a hash of everything npm ci reads
// (lockfile, root and staged package.json files, npm and Node versions), so a rerun only copies it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Stage } from './dockerfile.js';
import { contextSources, dockerignore, parseDockerfile, words } from './dockerfile.js';
import { IMAGE_NODE_VERSION, nodeVersionOfImage } from './node-runtime.js';

export interface StagedImage {
  connector: string;
  /** Host folder holding exactly what the image has at `workdir`. */
  root: string;
  /** The final stage's WORKDIR, e.g. /airbyte/integration_code. */
  workdir: string;
  /** AIRBYTE_ENTRYPOINT as argv (checked equal to ENTRYPOINT). */
  entrypoint: string[];
  /** The final stage's ENV. */
  env: Record<string, string>;
  uid: number;
  gid: number;
  /** Whether node_modules came from the cache, and how long npm ci took when it did not. */
  installCached: boolean;
  installSeconds: number;
}

const read = (p: string) => readFileSync(p, 'utf8');
const sha = (parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 20);

/** The two stages, checked for the shape this stager understands. */
export function imageStages(repoRoot: string, connector: string): { build: Stage; final: Stage } {
  const stages = parseDockerfile(read(join(repoRoot, connector, 'Dockerfile')));
  const build = stages[0];
  const final = stages[stages.length - 1];
  if (stages.length !== 2 || !build?.name || !final) throw new Error(`${connector}/Dockerfile: expected a named build stage and a final stage`);
  for (const s of stages) {
    if (nodeVersionOfImage(s.from) !== IMAGE_NODE_VERSION) throw new Error(`${connector}/Dockerfile: FROM ${s.from} is not node:${IMAGE_NODE_VERSION}-… (pinned exactly, like testkit/src/staged-image/node-runtime.ts)`);
  }
  return { build, final };
}

function entrypointOf(final: Stage, connector: string): string[] {
  const env = final.env.AIRBYTE_ENTRYPOINT;
  if (!env) throw new Error(`${connector}/Dockerfile: no AIRBYTE_ENTRYPOINT`);
  const argv = words(env);
  if (JSON.stringify(argv) !== JSON.stringify(final.entrypoint)) throw new Error(`${connector}/Dockerfile: AIRBYTE_ENTRYPOINT "${env}" differs from ENTRYPOINT ${JSON.stringify(final.entrypoint)}`);
  if (!argv.slice(1).every((a) => a.startsWith('/'))) throw new Error(`${connector}/Dockerfile: AIRBYTE_ENTRYPOINT must use absolute paths`);
  return argv;
}

function userOf(final: Stage, connector: string): { uid: number; gid: number } {
  const m = /^(\d+):(\d+)$/.exec(final.user ?? '');
  if (!m) throw new Error(`${connector}/Dockerfile: USER must be numeric uid:gid (Kubernetes runAsNonRoot), got ${final.user}`);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

/** Copies the build stage's context COPY lines into `stageRoot` (the build stage's WORKDIR). */
function copyContext(repoRoot: string, build: Stage, stageRoot: string): void {
  const ignored = dockerignore(existsSync(join(repoRoot, '.dockerignore')) ? read(join(repoRoot, '.dockerignore')) : '');
  for (const c of build.copies.filter((x) => !x.from)) {
    const destDir = join(stageRoot, c.dest.startsWith('/') ? relative(build.workdir, c.dest) : c.dest);
    for (const source of contextSources([{ ...build, copies: [c] }])) {
      if (source === '.' || source.includes('*')) throw new Error(`Dockerfile: COPY ${source} would copy the whole context or a glob; name paths`);
      const from = join(repoRoot, source);
      if (ignored(source)) continue;
      const isDir = statSync(from).isDirectory();
      const to = isDir ? destDir : (c.dest.endsWith('/') || c.sources.length > 1 ? join(destDir, basename(source)) : destDir);
      cpSync(from, to, { recursive: true, verbatimSymlinks: true, filter: (p) => !ignored(relative(repoRoot, p)) });
    }
  }
}

/** The workspace named by the build RUN's `npm ci --omit=dev --workspace <w>`, checked against `tsc -b <w>`. */
function installedWorkspace(build: Stage, connector: string): string {
  const run = build.runs.join(' && ');
  const ws = /npm ci --omit=dev --workspace (\S+)/.exec(run)?.[1];
  if (ws !== connector || !run.includes(`npx tsc -b ${connector}`)) {
    throw new Error(`${connector}/Dockerfile: the build RUN must compile with "npx tsc -b ${connector}" and install with "npm ci --omit=dev --workspace ${connector}"`);
  }
  return ws;
}

/** Folders under `root` holding node_modules npm ci made (the root one and workspace-level ones). */
function nodeModulesDirs(root: string): string[] {
  return ['.', ...readdirSync(root)].filter((d) => existsSync(join(root, d, 'node_modules'))).map((d) => join(d, 'node_modules'));
}

function npmInstall(repoRoot: string, stageRoot: string, workspace: string): void {
  execFileSync('npm', ['ci', '--omit=dev', '--workspace', workspace, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: stageRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  // Install scripts were skipped: take those packages' built files from the repository's install.
  const lock = JSON.parse(read(join(stageRoot, 'package-lock.json'))) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!entry.hasInstallScript || !path.includes('node_modules/') || !existsSync(join(stageRoot, path))) continue;
    const built = join(repoRoot, path);
    const version = existsSync(join(built, 'package.json')) ? (JSON.parse(read(join(built, 'package.json'))) as { version: string }).version : undefined;
    if (version !== entry.version) throw new Error(`${path}: the repository has ${version ?? 'no install'} where the lockfile says ${entry.version}; run npm ci first`);
    rmSync(join(stageRoot, path), { recursive: true });
    cpSync(built, join(stageRoot, path), { recursive: true, verbatimSymlinks: true });
  }
}

/** Builds `<runDir>/<connector>` as the image's WORKDIR content (fresh each call; node_modules cached). */
export function stageImage(repoRoot: string, connector: string, runDir: string): StagedImage {
  const { build, final } = imageStages(repoRoot, connector);
  const fromBuild = final.copies.find((c) => c.from === build.name);
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  if (!fromBuild || fromBuild.sources.length !== 1 || norm(fromBuild.sources[0]!) !== norm(build.workdir) || norm(fromBuild.dest) !== norm(final.workdir)) {
    throw new Error(`${connector}/Dockerfile: the final stage must COPY --from=${build.name} ${build.workdir}/ ${final.workdir}/`);
  }
  const workspace = installedWorkspace(build, connector);
  const root = join(runDir, connector);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true, mode: 0o755 });
  copyContext(repoRoot, build, root);

  // `npx tsc -b <connector>`: every copied workspace gets its build output.
  for (const ws of readdirSync(root).filter((d) => existsSync(join(root, d, 'tsconfig.json')))) {
    const dist = join(repoRoot, ws, 'dist');
    if (!existsSync(dist)) throw new Error(`${ws}/dist is missing: build first (npx tsc -b tsconfig.json)`);
    // Only what tsc makes from today's sources: a stale file left in dist/ by an older build (a module
    // since moved away) would not be in an image built from a clean checkout.
    const src = join(repoRoot, ws, 'src');
    cpSync(dist, join(root, ws, 'dist'), {
      recursive: true,
      filter: (p) => {
        const rel = relative(dist, p);
        if (rel === '' || rel === '.tsbuildinfo') return true;
        if (statSync(p).isDirectory()) return existsSync(join(src, rel));
        const base = rel.replace(/(\.d)?\.(js|ts)(\.map)?$/, '');
        return existsSync(join(src, `${base}.ts`));
      },
    });
  }

  // `npm ci --omit=dev --workspace <connector>`, cached by everything it reads.
  const manifests = ['package.json', 'package-lock.json', ...readdirSync(root).filter((d) => existsSync(join(root, d, 'package.json'))).map((d) => join(d, 'package.json'))];
  const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
  const key = sha(['v1', workspace, npmVersion, IMAGE_NODE_VERSION, ...manifests.map((m) => `${m}\n${read(join(root, m))}`)]);
  const cache = join(repoRoot, '.tmp', 'staged-images', `node_modules-${connector}-${key}`);
  let installSeconds = 0;
  const installCached = existsSync(cache);
  if (!installCached) {
    const started = Date.now();
    npmInstall(repoRoot, root, workspace);
    installSeconds = (Date.now() - started) / 1000;
    const partial = `${cache}.partial-${process.pid}`;
    for (const d of nodeModulesDirs(root)) cpSync(join(root, d), join(partial, d), { recursive: true, verbatimSymlinks: true });
    try { renameSync(partial, cache); } catch { rmSync(partial, { recursive: true, force: true }); } // a concurrent run cached it
  } else {
    // Hard links: the image's files are read-only for its user, so sharing them with the cache is safe.
    for (const d of nodeModulesDirs(cache)) execFileSync('cp', ['-a', '-l', join(cache, d), join(root, d)]);
  }
  return {
    connector, root, workdir: norm(final.workdir), entrypoint: entrypointOf(final, connector), env: { ...final.env },
    ...userOf(final, connector), installCached, installSeconds,
  };
}
