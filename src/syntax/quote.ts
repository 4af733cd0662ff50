// Source text quoted for a message: invisible and control characters are escaped, long text cut.
const maxShown = 24;

export function quoteSource(text: string): string {
  const chars = [...text];
  const shown = chars.slice(0, maxShown).map(escapeChar).join("");
  return `'${shown}${chars.length > maxShown ? "…" : ""}'`;
}

// Letters, marks, digits, punctuation and symbols print as themselves; the rest as \u{..}.
function escapeChar(ch: string): string {
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) || ch === " ") return ch;
  return `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
}
