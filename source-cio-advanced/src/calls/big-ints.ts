// Pure: integers beyond 2^53 kept exactly. JSON.parse rounds them (Node 20 has no JSON source
// access), so before parsing, each unsafe integer literal outside strings becomes a string
// `"<tag><digits>"`; after serialising, `restoreBigInts` turns the tagged strings back into the
// original literals. Cheap when there is none: a quick test for 16 digits in a row first.

const CANDIDATE = /\d{16}/;

/** `text` with every unsafe integer literal replaced by the JSON string `"<tag><literal>"`. */
export function protectBigInts(text: string, tag: string): string {
  if (!CANDIDATE.test(text)) return text;
  let out = '';
  let from = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: skip to its closing quote
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2; else if (d === 34) break; else i++;
      }
      i++;
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(text[j]!)) j++;
      const tok = text.slice(i, j);
      if (/^-?\d{16,}$/.test(tok) && !Number.isSafeInteger(Number(tok))) {
        out += text.slice(from, i) + JSON.stringify(tag + tok);
        from = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Serialised JSON with every `"<tag><literal>"` string turned back into the literal. */
export function restoreBigInts(json: string, tag: string): string {
  const quoted = JSON.stringify(tag).slice(1, -1); // the tag as it appears inside a serialised string
  if (!json.includes(quoted)) return json;
  const esc = quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return json.replace(new RegExp(`"${esc}(-?\\d+)"`, 'g'), '$1');
}
