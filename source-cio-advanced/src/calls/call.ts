// A Pipelines call (identify, track, page, screen, group, alias) as the libraries send it.
export const CALL_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export function isCallType(v: unknown): v is CallType {
  return typeof v === 'string' && (CALL_TYPES as readonly string[]).includes(v);
}

/** A validated call as written to the spool: `type` and `messageId` first, then receipt time. */
export interface SpooledCall {
  type: CallType;
  messageId: string;
  receivedAt: string;
  [field: string]: unknown;
}
