// An HTTP answer other than 200 that a collector route decides on (4xx naming the field, 413 …).
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) { super(message); }
}
