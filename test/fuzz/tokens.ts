// Splits a source text into tokens (white space and comments included) so mutations cut and
// paste whole tokens, not halves of them; the pieces always join back to the text.

const tokenPattern = /\s+|(?:#|\/\/)[^\r\n]*|[A-Za-z_][A-Za-z0-9_]*|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|\|>|[\s\S]/gu;

export function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}
