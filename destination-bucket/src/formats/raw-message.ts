// Message validation and record-size limiting for the parse worker: the same rules and messages as
// the kit's parseMessageLine / limitRecordSize (common/src/destination), restated here so the worker
// does not load the whole kit (about 33 MB of resident memory). raw-path.test.ts checks they agree.
import type { AirbyteRecordMessage } from '@cio-dw/common';

/** Marks an error as bad input (the main thread turns it into the kit's InputError). */
export class RawInputError extends Error {
  override name = 'InputError';
}

export function parseRecordLine(text: string, number: number): { type: string; record?: unknown } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RawInputError(`input line ${number} is not valid JSON; the source emitted a malformed message`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { type?: unknown }).type !== 'string') {
    throw new RawInputError(`input line ${number} is not an Airbyte message (no "type")`);
  }
  const m = v as { type: string; record?: unknown; state?: unknown };
  if (m.type === 'RECORD') {
    const r = m.record as Partial<AirbyteRecordMessage> | undefined;
    if (!r || typeof r !== 'object' || typeof r.stream !== 'string' || typeof r.data !== 'object' || r.data === null || Array.isArray(r.data) || typeof r.emitted_at !== 'number') {
      throw new RawInputError(`input line ${number} is a RECORD without a valid "record" (needs stream, data object and emitted_at)`);
    }
  } else if (m.type === 'STATE') {
    if (typeof m.state !== 'object' || m.state === null || Array.isArray(m.state)) {
      throw new RawInputError(`input line ${number} is a STATE without a valid "state" object`);
    }
  }
  return m;
}

export function limitRecordSize(record: AirbyteRecordMessage, lineBytes: number, maxBytes: number): AirbyteRecordMessage {
  if (lineBytes <= maxBytes) return record;
  const sizes = Object.entries(record.data)
    .map(([k, v]) => [k, v === null || v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v))] as const)
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
