// Airbyte acceptance checks for the destination (spec, connection; configs as committed) plus write
// scenarios that check every STATE is echoed once, in order, with the right count, and only after its
// records are durable; all against the staged image (the tree destination-bucket/Dockerfile builds, run
// as uid 1000 from /airbyte/integration_code with its AIRBYTE_ENTRYPOINT, under the image's Node).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { registerDestinationAcceptanceTests, registerImageContentChecks, stagedAcceptance } from '@cio-dw/testkit';

const staged = stagedAcceptance('destination-bucket');
before(() => { staged.prepare(); });
after(() => staged.dispose());
let folders = 0;
/** A fresh folder the image's user may write to (like a mounted volume). */
const fresh = () => staged.writableDir(`store-${++folders}`);

/** Rows durably present per stream: lines in the published (non-temporary) JSONL files of each stream folder. */
function countRows(root: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (dir: string, stream?: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === '_manifests') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, stream ?? e.name);
      else if (stream && e.name.endsWith('.jsonl')) {
        counts[stream] = (counts[stream] ?? 0) + readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()).length;
      }
    }
  };
  try { walk(root); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  return counts;
}

const scenario = (name: string, flushRows: number) => ({
  name,
  messages: 'integration_tests/messages.jsonl',
  catalog: 'integration_tests/configured_catalog.json',
  config: () => ({
    store: { store_type: 'local', path: fresh() },
    format: { format_type: 'jsonl', compression: 'none' },
    path_template: '{stream}/{stream}_{sequence}_{part}.{ext}',
    flush_rows: flushRows,
  }),
  readBack: async (config: Record<string, unknown>) => countRows(String((config.store as { path: string }).path)),
});

registerImageContentChecks(staged);
registerDestinationAcceptanceTests(staged.catDir, {
  ...staged.options,
  scenarios: [scenario('small batches', 7), scenario('one batch at the end', 100_000)],
});
