// Bracket bookkeeping on the token stream, before and beside the parser: the nesting bound, and
// which '{', '(' or '[' is still open at a given point (for "unclosed" diagnostics).
import type { IToken, TokenType } from "chevrotain";
import { LBracket, LCurly, LParen, RBracket, RCurly, RParen } from "../../grammar/lexer.js";

const closerOf: ReadonlyMap<TokenType, TokenType> = new Map([
  [LCurly, RCurly],
  [LParen, RParen],
  [LBracket, RBracket],
]);

const closers: ReadonlySet<TokenType> = new Set(closerOf.values());

/** The first '(' nested deeper than `max`, if any. Only parentheses nest in the grammar. */
export function firstTooDeep(tokens: readonly IToken[], max: number): IToken | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.tokenType === LParen) depth++;
    else if (token.tokenType === RParen) depth = Math.max(0, depth - 1);
    if (depth > max) return token;
  }
  return undefined;
}

/** The innermost opener still unclosed just before `offset`; a closer that does not match the innermost opener is ignored. */
export function innermostOpenBefore(tokens: readonly IToken[], offset: number): IToken | undefined {
  const open: IToken[] = [];
  for (const token of tokens) {
    if (token.startOffset >= offset) break;
    if (closerOf.has(token.tokenType)) open.push(token);
    else if (closers.has(token.tokenType) && open.length > 0 && closerOf.get(open[open.length - 1]!.tokenType) === token.tokenType)
      open.pop();
  }
  return open[open.length - 1];
}

export function closerFor(opener: IToken): TokenType | undefined {
  return closerOf.get(opener.tokenType);
}
