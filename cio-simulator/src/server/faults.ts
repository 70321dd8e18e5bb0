// Injected faults: status bursts, dropped connections and slow responses, matched by path.
import type { FaultRule } from '../options.js';

export type FaultAction = { kind: 'status'; status: number } | { kind: 'drop' } | { kind: 'slow'; delayMs: number };

export class Faults {
  private rules: Array<{ rule: FaultRule; seen: number }> = [];
  constructor(rules: FaultRule[] = []) { this.set(rules); }
  set(rules: FaultRule[]): void { this.rules = rules.map((rule) => ({ rule, seen: 0 })); }

  /** The faults that apply to this request (a slow rule can combine with one status/drop rule). */
  match(path: string): FaultAction[] {
    const out: FaultAction[] = [];
    let terminal = false;
    for (const r of this.rules) {
      const p = r.rule.path;
      if (p !== undefined && !(typeof p === 'string' ? path.includes(p) : p.test(path))) continue;
      if (terminal && r.rule.kind !== 'slow') continue;
      const n = r.seen++;
      const skip = r.rule.skip ?? 0;
      const count = r.rule.count ?? 1;
      if (n < skip || n >= skip + count) continue;
      if (r.rule.kind === 'slow') out.push({ kind: 'slow', delayMs: r.rule.delayMs ?? 1000 });
      else if (r.rule.kind === 'drop') { out.push({ kind: 'drop' }); terminal = true; }
      else { out.push({ kind: 'status', status: r.rule.status ?? 500 }); terminal = true; }
    }
    return out;
  }
}
