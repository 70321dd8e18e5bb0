// Writes a file so that readers see the old or the new content, never a part: a temp file beside it,
// fsync, rename.
import { open, rename, unlink } from 'node:fs/promises';

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}
