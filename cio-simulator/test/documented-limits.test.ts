// The App API limits and shapes the simulator follows from Customer.io's documentation (each cited in
// the source): archived_message's daily quota, the 6-month /messages range, newsletter contents without
// timestamps, wrapped customer items, workspace ids as strings, and the exports API with its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { call, start, type Body } from './helpers.js';

test('archived_message: 100 a day, then 429 without Retry-After; the next day works again', async () => {
  const sim = await start({ archivedMessagesPerDay: 3 });
  try {
    const kept = sim.truth.messages().find((m) => m['forgotten'] === false)!;
    const path = `/messages/${encodeURIComponent(kept['id'] as string)}/archived_message`;
    for (let i = 0; i < 3; i++) assert.equal((await call(sim, path)).status, 200);
    const over = await call(sim, path);
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('retry-after'), null, 'a daily quota has no Retry-After');
    assert.match(JSON.stringify(over.body), /per day/);
    sim.control.advanceClock(86400);
    const next = await call(sim, path);
    assert.equal(next.status, 200);
    const a = next.body['archived_message'] as Body;
    for (const k of ['preheader_text', 'request_method', 'headers', 'forgotten']) assert.ok(k in a, k);
    for (const k of ['type', 'body_plain', 'body_amp']) assert.ok(!(k in a), `${k} is not in the documented response`);
  } finally { await sim.close(); }
});

test('the default quota is 100 a day', async () => {
  const sim = await start();
  try {
    const kept = sim.truth.messages().find((m) => m['forgotten'] === false)!;
    const path = `/messages/${encodeURIComponent(kept['id'] as string)}/archived_message`;
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await call(sim, path)).status);
    assert.equal(statuses.filter((s) => s === 200).length, 100);
    assert.equal(statuses[100], 429);
  } finally { await sim.close(); }
});

test('/messages: start_ts..end_ts over 6 months is a 400, 6 months is fine', async () => {
  const sim = await start();
  try {
    const end = sim.control.now();
    assert.equal((await call(sim, `/messages?start_ts=${end - 183 * 86400}&end_ts=${end}`)).status, 200);
    const r = await call(sim, `/messages?start_ts=${end - 184 * 86400}&end_ts=${end}`);
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /6 months/);
  } finally { await sim.close(); }
});

test('newsletter contents: no created/updated, deduplicate_id moves on an edit', async () => {
  const sim = await start();
  try {
    const n = sim.truth.newsletters()[0]!;
    const before = ((await call(sim, `/newsletters/${n.id}/contents`)).body['contents'] as Body[])[0]!;
    assert.ok(!('created' in before) && !('updated' in before));
    assert.match(String(before['deduplicate_id']), new RegExp(`^${String(before['id'])}:\\d+$`));
    sim.control.advanceClock(100);
    sim.control.editNewsletterContent(n.id, before['id'] as number, { subject: 'Edited' });
    const after = ((await call(sim, `/newsletters/${n.id}/contents`)).body['contents'] as Body[])[0]!;
    assert.equal(after['deduplicate_id'], `${String(before['id'])}:${sim.control.now()}`);
  } finally { await sim.close(); }
});

test('customers/attributes items are wrapped in `customer` when the flatCustomers quirk is off', async () => {
  const sim = await start({ quirks: { flatCustomers: false } });
  try {
    const p = sim.truth.people().find((x) => !x.deleted)!;
    const r = await call(sim, '/customers/attributes?id_type=cio_id', { body: { ids: [p.cio_id] } });
    const item = (r.body['customers'] as Body[])[0]!;
    assert.deepEqual(Object.keys(item), ['customer']);
    assert.equal(((item['customer'] as Body)['identifiers'] as Body)['cio_id'], p.cio_id);
  } finally { await sim.close(); }
});

test('exports: create, pending then done, download a signed gzip CSV of every person', async () => {
  const sim = await start({ exportPendingPolls: 2 });
  try {
    const created = await call(sim, '/exports/customers', { body: { filters: { and: [{ attribute: { field: 'cio_id', operator: 'exists' } }] }, attributes: ['created_at', 'first_name'] } });
    assert.equal(created.status, 200);
    const id = (created.body['export'] as Body)['id'] as number;
    assert.equal((created.body['export'] as Body)['status'], 'pending');
    assert.equal((await call(sim, `/exports/${id}/download`)).status, 400, 'not downloadable while pending');
    const statuses: unknown[] = [];
    for (let i = 0; i < 3; i++) statuses.push(((await call(sim, `/exports/${id}`)).body['export'] as Body)['status']);
    assert.deepEqual(statuses, ['pending', 'pending', 'done']);
    const link = (await call(sim, `/exports/${id}/download`)).body['url'] as string;
    assert.match(link, /expires=\d+&signature=[0-9a-f]+$/);
    const file = await fetch(link);
    assert.equal(file.status, 200);
    const lines = gunzipSync(Buffer.from(await file.arrayBuffer())).toString('utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'cio_id,id,email,created_at,first_name');
    const alive = sim.truth.people().filter((p) => !p.deleted);
    assert.equal(lines.length - 1, alive.length);
    assert.equal(lines[1], [alive[0]!.cio_id, alive[0]!.id ?? '', alive[0]!.email, alive[0]!.attributes['created_at'], alive[0]!.attributes['first_name']].join(','));
    assert.equal((await fetch(link.replace(/signature=[0-9a-f]+/, 'signature=deadbeef'))).status, 403, 'a wrong signature is refused');
    assert.equal((await call(sim, '/exports/customers', { body: {} })).status, 400, 'filters are required');
  } finally { await sim.close(); }
});
