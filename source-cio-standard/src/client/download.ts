// Streams a file from a signed URL (an export download) without holding it in memory. Separate from the
// App API transport: the URL carries its own signature, so no Bearer key is sent, and the body is read
// as a stream instead of buffered.
import { Readable } from 'node:stream';
import { TransientError, toNetworkError } from '@cio-dw/common';

export interface Downloader {
  /** The response body as a byte stream; rejects for a non-2xx status or a network failure. */
  open(url: string, signal?: AbortSignal): Promise<Readable>;
}

export function fetchDownloader(): Downloader {
  return {
    async open(url, signal) {
      let res: Response;
      try {
        res = await fetch(url, { ...(signal ? { signal } : {}), redirect: 'follow' });
      } catch (e) {
        const net = toNetworkError(e);
        throw new TransientError(`cio: the export file could not be downloaded (${net?.code ?? 'network error'}); try again later.`, { internal: String(e), cause: e });
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new TransientError(`cio: the export file's signed link answered HTTP ${res.status}; the sync will ask for a fresh link next time. Try again later.`);
      }
      return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    },
  };
}

