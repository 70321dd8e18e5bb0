// Parses interval strings such as "15m", "10m", "30s", "1h", "1h30m" into milliseconds (pure).
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text.trim()); m; m = re.exec(text.trim())) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
    matched += m[0].length;
  }
  if (!matched || matched !== text.trim().length || total <= 0) {
    throw new Error(`invalid duration "${text}" (use e.g. 30s, 10m, 15m, 1h)`);
  }
  return total;
}
