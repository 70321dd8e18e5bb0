// Runs a command the way the image's container would: in a private mount namespace where the staged
// folder is mounted at the image's WORKDIR (e.g. /airbyte/integration_code, with /airbyte a fresh
// folder owned by the image's user, as its Dockerfile makes it) and /tmp is a fresh, empty tmpfs;
// from that WORKDIR; as the image's numeric uid:gid with no supplementary groups; with `node` on PATH
// being the image's Node version. Needs root (CAP_SYS_ADMIN) and util-linux (unshare, setpriv).
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import type { StagedImage } from './stage.js';

const SCRIPT = `set -eu
root=$1; nodebin=$2; uid=$3; gid=$4; workdir=$5; shift 5
parent=$(dirname "$workdir")
mkdir -p "$parent"
mount -t tmpfs -o mode=0755,uid="$uid",gid="$gid" staged-image "$parent"
mkdir -p "$workdir"
mount --bind "$root" "$workdir"
mount -t tmpfs -o mode=1777 staged-tmp /tmp
cd "$workdir"
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups env PATH="$nodebin:/usr/local/bin:/usr/bin:/bin" HOME="$parent" "$@"`;

/** argv that runs `command` (e.g. the image's AIRBYTE_ENTRYPOINT) inside the staged image. */
export function imageCommand(image: Pick<StagedImage, 'root' | 'uid' | 'gid' | 'workdir'>, nodeBinDir: string, command: string[]): string[] {
  if (dirname(image.workdir) === '/') throw new Error(`WORKDIR ${image.workdir} must be below a folder of its own (e.g. /airbyte/integration_code)`);
  return ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', SCRIPT, 'staged-image',
    image.root, nodeBinDir, String(image.uid), String(image.gid), image.workdir, ...command];
}

/** Fails early, with the reason, where mount namespaces are not available (not root, no CAP_SYS_ADMIN). */
export function assertCanRunAsImage(): void {
  try {
    execFileSync('unshare', ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount -t tmpfs probe /mnt && setpriv --reuid=1000 --regid=1000 --clear-groups true'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`the staged-image tests run connectors in a private mount namespace as uid 1000 and need root with CAP_SYS_ADMIN and util-linux's unshare and setpriv: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
  }
}
