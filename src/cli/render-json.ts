// `--json`: one result per line (docs/contract.md §3), with every control character escaped.
// JSON.stringify escapes U+0000–U+001F only; DEL, the C1 controls U+0080–U+009F (U+009B is a
// one-character CSI to some terminals), the Unicode line separators and the bidi embeddings,
// overrides and isolates pass through raw, so a certificate name could still drive or reorder a
// terminal that shows the JSON. `\uXXXX` is the same string to every JSON reader (RFC 8259 §7).
const UNESCAPED_BY_STRINGIFY = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function renderJsonLine(value: unknown): string {
  const json = JSON.stringify(value).replace(
    UNESCAPED_BY_STRINGIFY,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}
