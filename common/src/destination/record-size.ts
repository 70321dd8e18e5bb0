// Keeps an oversize record by nulling its largest fields (recorded in meta.changes, as Airbyte does).
import type { AirbyteRecordMessage } from '../protocol/types.js';
import { toJsonText } from './json-lossless.js';

export function limitRecordSize(record: AirbyteRecordMessage, lineBytes: number, maxBytes: number): AirbyteRecordMessage {
  if (lineBytes <= maxBytes) return record;
  const sizes = Object.entries(record.data)
    .map(([k, v]) => [k, v === null || v === undefined ? 0 : Buffer.byteLength(toJsonText(v))] as const)
    .sort((a, b) => b[1] - a[1]);
  const data = { ...record.data };
  const changes = [...(record.meta?.changes ?? [])];
  let size = lineBytes;
  for (const [field, bytes] of sizes) {
    if (size <= maxBytes || bytes === 0) break;
    data[field] = null;
    size -= bytes;
    changes.push({ field, change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' });
  }
  return { ...record, data, meta: { ...(record.meta ?? {}), changes } };
}
