import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateKey } from '@cio-dw/common';
import {
  CUSTOMERIO_TEMPLATE, DEFAULT_TEMPLATE, manifestKey, renderKey, resolveTemplate, sanitiseSegment, SequenceGenerator,
} from '../src/naming.js';

const base = { stream: 'deliveries', epochMs: Date.UTC(2024, 0, 2, 3, 4, 5), syncId: 42, generationId: 3, sequence: '0001', part: 7, ext: 'parquet' };

test('default template: one folder per stream, date folders, unique name', () => {
  assert.equal(renderKey(DEFAULT_TEMPLATE, { ...base, namespace: 'cio' }), 'cio/deliveries/2024/01/02/deliveries_0001_42_00007.parquet');
  // no namespace: no empty folder level
  assert.equal(renderKey(DEFAULT_TEMPLATE, base), 'deliveries/2024/01/02/deliveries_0001_42_00007.parquet');
});

test('customerio preset reproduces Customer.io names', () => {
  assert.equal(resolveTemplate('customerio'), CUSTOMERIO_TEMPLATE);
  assert.equal(renderKey(CUSTOMERIO_TEMPLATE, { ...base, workspaceId: '12345' }), 'deliveries_v4_12345_0001.parquet');
});

test('templates are validated', () => {
  assert.throws(() => resolveTemplate('{stream}/x.{ext}'), /\{sequence\}/);
  assert.throws(() => resolveTemplate('{stream}/{nope}/{sequence}'), /unknown variable \{nope\}/);
  assert.throws(() => resolveTemplate('../{sequence}'), /"\.\."/);
  assert.throws(() => resolveTemplate('/{sequence}'), /relative/);
  assert.equal(resolveTemplate('{stream}/{hh}/{epoch}-{sequence}.{ext}'), '{stream}/{hh}/{epoch}-{sequence}.{ext}');
});

test('sanitisation: nothing in a stream or namespace name escapes the prefix', () => {
  const evil = ['..', '../../etc/passwd', 'a/b', 'x\u0000y', 'tab\there', '.tmp-x', '.', '', 'C:\\win', 'new\nline', '\u007f'];
  for (const name of evil) {
    for (const ns of [undefined, ...evil]) {
      const key = renderKey(DEFAULT_TEMPLATE, { ...base, stream: name, namespace: ns });
      assert.doesNotThrow(() => validateKey(key), `key ${JSON.stringify(key)} from ${JSON.stringify(name)}`);
      assert.ok(!key.split('/').some((s) => s === '..' || s === '.' || s.startsWith('.')), key);
      assert.equal(key.split('/').length, ns && sanitiseSegment(ns) ? 6 : 5);
    }
  }
  assert.equal(sanitiseSegment('../../etc'), '_._.._etc');
  assert.equal(sanitiseSegment('Käse_1-2.v=3'), 'Käse_1-2.v=3');
  assert.equal(sanitiseSegment('a'.repeat(500)).length, 200);
});

test('sequence numbers sort in write order, are fixed-width and unique even within one millisecond', () => {
  let now = 1_700_000_000_000;
  const g = new SequenceGenerator(() => now, () => 0.5);
  const seen: string[] = [];
  for (let i = 0; i < 20_050; i++) { if (i % 7000 === 6999) now += 1; seen.push(g.next()); }
  now -= 10_000; // clock steps back: still increasing
  seen.push(g.next());
  assert.equal(new Set(seen).size, seen.length);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]! < seen[i]!, `${seen[i - 1]} < ${seen[i]}`);
  assert.ok(seen.every((s) => /^\d{22}$/.test(s)));
  // a later sync (new process, later clock) sorts after
  const later = new SequenceGenerator(() => now + 20_000, () => 0).next();
  assert.ok(later > seen.at(-1)!);
  assert.equal(manifestKey(later), `_manifests/${later}.json`);
});
