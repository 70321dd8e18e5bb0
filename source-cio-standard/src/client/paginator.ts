// Customer.io's cursor paging: the response's `next` goes into the next request's `start`. Ends when
// `next` is "", null or absent. A token seen before means the API is looping: that is a SystemError
// rather than an endless sync.
import { SystemError } from '@cio-dw/common';

export class NextTokenPaginator {
  private readonly seen = new Set<string>();
  private token: string | undefined;
  private done = false;

  constructor(private readonly what: string, start?: string) {
    this.token = start;
    if (start) this.seen.add(start);
  }

  /** The `start` to send with the next request (undefined for the first page). */
  get start(): string | undefined { return this.token; }
  get finished(): boolean { return this.done; }

  /** Records a page's `next`; returns false when paging is over. */
  advance(next: unknown): boolean {
    if (next === undefined || next === null || next === '') { this.done = true; return false; }
    const token = typeof next === 'string' ? next : String(next);
    if (this.seen.has(token)) {
      throw new SystemError(`cio: the App API returned the same page token twice while paging ${this.what}; stopping instead of looping. Try again later; report it if it persists.`,
        { internal: `repeated next token after ${this.seen.size} pages` });
    }
    this.seen.add(token);
    this.token = token;
    return true;
  }
}
