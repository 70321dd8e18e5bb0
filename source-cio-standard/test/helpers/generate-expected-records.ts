// Regenerates integration_tests/expected_records.jsonl from the seeded simulator (the acceptance test uses the same seed).
// Usage: node --import tsx source-cio-standard/test/helpers/generate-expected-records.ts
import { writeFileSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { startSimulator } from '@cio-dw/cio-simulator';
import { main } from '../../src/main.js';
const sim = await startSimulator({ size: 'tiny', seed: 7, rateLimit: { perSecond: 0 } });
const dir = new URL('../../integration_tests/', import.meta.url).pathname;
const cfg = { ...JSON.parse(readFileSync(dir + 'config.json', 'utf8')), app_api_key: sim.apiKey, workspace_id: sim.workspaceId, api_url: sim.baseUrl };
writeFileSync('/tmp/cio-std-acc-config.json', JSON.stringify(cfg));
const out = new PassThrough(); const chunks: Buffer[] = []; out.on('data', (c) => chunks.push(c));
await main(['read', '--config', '/tmp/cio-std-acc-config.json', '--catalog', dir + 'configured_catalog.json'], {}, { stdout: out });
const msgs = Buffer.concat(chunks).toString().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const per = new Map<string, number>();
const lines: string[] = [];
for (const m of msgs) if (m.type === 'RECORD') {
  const n = per.get(m.record.stream) ?? 0;
  if (n < 3) lines.push(JSON.stringify({ stream: m.record.stream, data: m.record.data, emitted_at: 1793491200000 }));
  per.set(m.record.stream, n + 1);
}
writeFileSync(dir + 'expected_records.jsonl', lines.join('\n') + '\n');
console.log(Object.fromEntries(per), msgs.filter((m) => m.type === 'TRACE').map((m) => JSON.stringify(m).slice(0, 300)));
await sim.close();
