// The formatter's input: every token and every comment of a source in order, each with what the
// original layout said around it (line breaks before it, whether a comment shares a code line).
import type { IToken, TokenType } from "chevrotain";
import { cnnLexer } from "../../grammar/lexer.js";
import { insertStatementBreaks, isStatementBreak } from "../../grammar/statementBreaks.js";

export interface TokenItem {
  readonly kind: "token";
  readonly type: TokenType;
  readonly text: string;
  readonly start: number;
  /** a statement (or train entry) begins here, where the parser inserts its StatementBreak */
  readonly startsStatement: boolean;
  /** line breaks between the previous item and this one in the original */
  readonly breaksBefore: number;
}

export interface CommentItem {
  readonly kind: "comment";
  /** the comment without trailing white space */
  readonly text: string;
  readonly start: number;
  readonly breaksBefore: number;
  /** 0-based column in the original, for keeping aligned comments aligned */
  readonly column: number;
}

export type Item = TokenItem | CommentItem;

/** Tokens and comments in source order; the caller has made sure the source has no syntax error. */
export function sourceItems(text: string): Item[] {
  const lexed = cnnLexer.tokenize(text);
  const starts = new Set(
    insertStatementBreaks(lexed.tokens, text)
      .filter(isStatementBreak)
      .map((t) => t.startOffset),
  );
  const comments = (lexed.groups["comments"] ?? []) as IToken[];
  const raw = [...lexed.tokens.map((t) => ({ token: t, comment: false })), ...comments.map((t) => ({ token: t, comment: true }))];
  raw.sort((a, b) => a.token.startOffset - b.token.startOffset);
  let previousEnd = 0;
  return raw.map(({ token, comment }): Item => {
    const start = token.startOffset;
    const breaksBefore = countBreaks(text, previousEnd, start);
    previousEnd = start + token.image.length;
    if (comment) return { kind: "comment", text: token.image.trimEnd(), start, breaksBefore, column: start - lineStart(text, start) };
    return { kind: "token", type: token.tokenType, text: token.image, start, startsStatement: starts.has(start), breaksBefore };
  });
}

// \r\n counts as one break, a lone \r too, as in SourceFile
function countBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) breaks++;
  }
  return breaks;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== "\n" && text[i - 1] !== "\r") i--;
  return i;
}
