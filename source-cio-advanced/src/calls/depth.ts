// Pure: nesting depth of a parsed JSON value, without recursion (a hostile call may nest thousands
// of levels; recursive code, JSON.stringify included, would overflow the stack).

/** Documented limit: a call may nest objects/arrays at most this deep (the call object is level 1). */
export const MAX_CALL_DEPTH = 64;

/** True if `value` nests objects/arrays deeper than `max` levels. Stops at the first level too deep. */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
    }
  }
  return false;
}
