// Airbyte acceptance checks for the destination (spec, connection) plus write scenarios that check
// every STATE is echoed once, in order, with the right count, and only after its records are durable.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { registerDestinationAcceptanceTests } from '@cio-dw/testkit';

const folders: string[] = [];
const fresh = () => { const f = mkdtempSync(join(tmpdir(), 'bucket-cat-')); folders.push(f); return f; };
after(() => { for (const f of folders) rmSync(f, { recursive: true, force: true }); });

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

registerDestinationAcceptanceTests(fileURLToPath(new URL('..', import.meta.url)), {
  // The good config writes to a fresh temporary folder; the invalid one stays as it is (a path under /dev/null).
  prepareConfig: (config, path) => path.endsWith('config_local.json') ? { ...config, store: { ...(config.store as object), path: fresh() } } : config,
  scenarios: [scenario('small batches', 7), scenario('one batch at the end', 100_000)],
});
