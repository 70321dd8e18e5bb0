// One sync per connection at a time: an exclusive lock file holding the owner's pid.
// A lock left by a process that no longer runs is taken over.
import { open, readFile, unlink } from 'node:fs/promises';

export class LockedError extends Error {}

export async function acquireLock(path: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return async () => { await unlink(path).catch(() => {}); };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && isAlive(pid)) throw new LockedError(`another sync of this connection is running (pid ${pid}, lock ${path})`);
      await unlink(path).catch(() => {}); // stale lock
    }
  }
  throw new LockedError(`could not take the lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
