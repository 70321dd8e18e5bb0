// Injected faults: status bursts, dropped connections and slow responses, matched by path.
import type { FaultRule } from '../options.js';

export type FaultAction = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'slow'; delayMs: number } | { kind: 'truncate' };

export class Faults {
  private rules: Array<{ rule: FaultRule; seen: number }> = [];
  constructor(rules: FaultRule[] = []) { this.set(rules); }
  set(rules: FaultRule[]): void { this.rules = rules.map((rule) => ({ rule, seen: 0 })); }

  /** The faults for this request. Every rule counts every matching request; the first status/drop rule in effect wins, slow rules add up. */
  match(path: string): FaultAction[] {
    const out: FaultAction[] = [];
    let terminal = false;
    for (const r of this.rules) {
      const p = r.rule.path;
      if (p !== undefined && !(typeof p === 'string' ? path.includes(p) : p.test(path))) continue;
      const n = r.seen++;
      const skip = r.rule.skip ?? 0;
      const count = r.rule.count ?? 1;
      if (n < skip || n >= skip + count) continue;
      if (terminal && r.rule.kind !== 'slow') continue;
      if (r.rule.kind === 'slow') out.push({ kind: 'slow', delayMs: r.rule.delayMs ?? 1000 });
      else if (r.rule.kind === 'drop') { out.push({ kind: 'drop' }); terminal = true; }
      else if (r.rule.kind === 'truncate') { out.push({ kind: 'truncate' }); terminal = true; }
      else { out.push({ kind: 'status', status: r.rule.status ?? 500 }); terminal = true; }
    }
    return out;
  }
}
