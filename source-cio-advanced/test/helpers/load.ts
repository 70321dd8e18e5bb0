// A small load generator for the process tests: workers post batches and remember what was acknowledged.
import { basic, KEY } from './harness.js';

export interface LoadResult { acked: Set<string>; sent: number; failed: number }

export function startLoad(urls: string[], o: { workers: number; batchSize: number; tag: string; maxCalls?: number }): { stop(): Promise<LoadResult>; acked: Set<string>; done: Promise<void> } {
  const acked = new Set<string>();
  let sent = 0; let failed = 0; let running = true; let seq = 0;
  const types = ['identify', 'track', 'page', 'screen', 'group', 'alias'];
  const worker = async (w: number) => {
    while (running && seq < (o.maxCalls ?? Infinity)) {
      const url = urls[w % urls.length]!;
      const batch = Array.from({ length: o.batchSize }, () => {
        const id = `${o.tag}-${w}-${seq++}`;
        const type = types[seq % types.length]!;
        return { type, messageId: id, userId: `u-${w}`, event: 'Load Test', groupId: 'g', previousId: 'p', properties: { n: seq } };
      });
      sent += batch.length;
      try {
        const r = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { authorization: basic(KEY), 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
        await r.arrayBuffer();
        if (r.status === 200) for (const c of batch) acked.add(c.messageId);
        else failed++;
      } catch {
        failed++;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  const done = Promise.all(Array.from({ length: o.workers }, (_, w) => worker(w)));
  return { acked, done: done.then(() => undefined), stop: async () => { running = false; await done; return { acked, sent, failed }; } };
}
