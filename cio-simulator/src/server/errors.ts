// The App API error envelope: {"errors":[{"detail","status"}]}.
export class HttpError extends Error {
  constructor(readonly status: number, readonly detail: string, readonly headers: Record<string, string> = {}) { super(detail); }
}
export function errorBody(status: number, detail: string): { errors: Array<{ detail: string; status: string }> } {
  return { errors: [{ detail, status: String(status) }] };
}
export const badRequest = (detail: string): HttpError => new HttpError(400, detail);
export const notFound = (detail = 'not found'): HttpError => new HttpError(404, detail);
