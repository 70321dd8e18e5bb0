// Which streams the files named in destination-bucket's "bucket: wrote N file(s): <key> (<rows> rows, …), …"
// log line belong to (pure), so the progress view counts files per stream.
export function writtenFileStreams(message: string, streams: readonly string[]): string[] | undefined {
  const m = /^bucket: wrote \d+ file\(s\): (.*)$/s.exec(message);
  if (!m?.[1]) return undefined;
  return [...m[1].matchAll(/(\S+) \(\d+ rows/g)].map((x) => streamOfKey(x[1]!, streams));
}

/** The longest stream name that is a folder of the key or starts its file name (`<stream>_…`). */
function streamOfKey(key: string, streams: readonly string[]): string {
  const parts = key.split('/');
  const base = parts[parts.length - 1] ?? '';
  let best = '?';
  for (const s of streams) {
    if ((parts.slice(0, -1).includes(s) || base.startsWith(`${s}_`)) && (best === '?' || s.length > best.length)) best = s;
  }
  return best;
}
