// A stream state the stream cannot read is a config error, never a silent "nothing new" (an unknown
// shape used to give NaN bounds: 0 records and the same state echoed forever).
import { ConfigError } from '@cio-dw/common';

export function isSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns the state as S when `valid`, else throws a ConfigError that names the expected form. */
export function requireState<S>(stream: string, state: unknown, valid: boolean, expected: string): S {
  if (valid) return state as S;
  let shown = JSON.stringify(state) ?? String(state);
  if (shown.length > 120) shown = `${shown.slice(0, 117)}...`;
  throw new ConfigError(`${stream}: the saved state ${shown} is not one this stream can read (expected ${expected}). `
    + 'Reset this stream\'s state (the next sync then starts again from start_date) or restore the state this connector saved.');
}
