// Builds integration_tests/spool (a pre-built spool for the acceptance tests) and expected_records.jsonl
// from the Appendix A example calls in integration_tests/calls/. Run: node --import tsx <this file>
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LocalFolderStore, ManualClock, silentLogger } from '@cio-dw/common';
import { callToRow } from '../../src/calls/row.js';
import { validateCall } from '../../src/calls/validate.js';
import { SpoolWriter } from '@cio-dw/common';

const it = new URL('../../integration_tests/', import.meta.url);
const T = Date.parse('2026-01-01T00:00:00.000Z');
const calls = (name: string) => JSON.parse(readFileSync(new URL(`calls/${name}.json`, it), 'utf8'));
rmSync(fileURLToPath(new URL('spool', it)), { recursive: true, force: true });
const store = new LocalFolderStore(fileURLToPath(new URL('spool', it)), { domain: 'spool' });
const clock = new ManualClock(T);
const writer = new SpoolWriter({ store, clock, logger: silentLogger, writerId: 'fixture', maxWriteMs: 1e9, windowMs: 0, maxCalls: 100, maxBytes: 1 << 20, maxConcurrentWrites: 1, maxPendingBytes: 1 << 24 });
const groups = [
  ['identify', 'page', 'screen'],
  ['group', 'track', 'alias'],
];
const expected: string[] = [];
for (const [i, names] of groups.entries()) {
  clock.set(T + i * 60_000);
  const stamp = { receivedAt: new Date(T + i * 60_000).toISOString(), newId: () => `fixture-${i}` };
  const spooled = names.map((n) => validateCall(calls(n), undefined, stamp).call);
  await writer.append(spooled.map((c) => JSON.stringify(c)));
  for (const c of spooled) expected.push(JSON.stringify({ stream: c.type, data: callToRow(c), emitted_at: 1767225600000 }));
}
writeFileSync(new URL('expected_records.jsonl', it), `${expected.join('\n')}\n`);
console.error(`wrote ${expected.length} calls`);
