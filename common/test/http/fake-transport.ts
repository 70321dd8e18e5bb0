// A scripted HttpTransport for tests: answers from a list, records what it was sent and when.
import { createResponse, NetworkError, type HttpRequest, type HttpResponse, type HttpTransport } from '../../src/http/transport.js';

export type Step = { status: number; body?: string | object; headers?: Record<string, string> } | NetworkError | Error;

export class FakeTransport implements HttpTransport {
  readonly sent: { req: HttpRequest; at: number }[] = [];
  constructor(private readonly steps: Step[], private readonly now: () => number = () => 0) {}
  async request(req: HttpRequest): Promise<HttpResponse> {
    this.sent.push({ req, at: this.now() });
    const step = this.steps.shift();
    if (step === undefined) throw new Error('FakeTransport: no more scripted steps');
    if (step instanceof Error) throw step;
    return createResponse(step);
  }
}
