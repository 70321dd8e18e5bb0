// Tries the configured key template before any data is written (pure): every stream's keys must be
// valid object keys for the store, or the sync and `check` fail with a clear config error.
import { ConfigError, InvalidKeyError, validateKey } from '@cio-dw/common';
import type { Settings } from './config.js';
import { extensionFor } from './formats/index.js';
import { renderKey } from './naming.js';

/** Longest file or folder name a local file system takes (ext4, APFS, NTFS: 255 bytes). */
export const MAX_SEGMENT_BYTES = 255;

/** A key this template renders for a stream (sequence and part at their full width). */
export function sampleKey(s: Settings, stream: string, namespace: string | undefined, epochMs: number): string {
  return renderKey(s.template, {
    namespace, stream, epochMs, syncId: 9_999_999_999, generationId: 9_999_999_999, sequence: '9'.repeat(22),
    part: 99_999, ext: extensionFor(s.format, s.compression), workspaceId: s.workspaceId,
  });
}

/** Throws a ConfigError when the key is not usable in a store of this kind. */
export function checkKey(key: string, storeKind: string, stream: string): void {
  try {
    validateKey(key);
    if (storeKind === 'local') {
      const long = key.split('/').find((seg) => Buffer.byteLength(seg) > MAX_SEGMENT_BYTES);
      if (long !== undefined) throw new InvalidKeyError(key, `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes, the limit of local file systems`);
    }
  } catch (e) {
    if (!(e instanceof InvalidKeyError)) throw e;
    const head = `store: invalid object key ${JSON.stringify(e.key)}: `;
    const reason = e.message.startsWith(head) ? e.message.slice(head.length) : e.message;
    throw new ConfigError(`bucket: the object key template renders an unusable key for stream "${stream}" (${JSON.stringify(key)}): ${reason}. Fix path_template (or shorten the stream name).`);
  }
}
