// Small helpers over Chevrotain tokens: spans, and telling real tokens from virtual ones.
import { EOF, type IToken } from "chevrotain";
import { isStatementBreak } from "../../grammar/statementBreaks.js";
import { span, type Span } from "../source/span.js";

export function tokenSpan(token: IToken): Span {
  return span(token.startOffset, token.startOffset + token.image.length);
}

/** A token from the source: not inserted by error recovery, not a StatementBreak, not EOF. */
export function isRealToken(token: IToken | undefined): token is IToken {
  if (token === undefined || token.isInsertedInRecovery === true) return false;
  if (token.tokenType === EOF || isStatementBreak(token)) return false;
  return Number.isFinite(token.startOffset);
}

/** The first real token of a CST child list, if any. */
export function first(tokens: readonly IToken[] | undefined): IToken | undefined {
  const token = tokens?.[0];
  return isRealToken(token) ? token : undefined;
}

export function tokenAt(tokens: readonly IToken[] | undefined, index: number): IToken | undefined {
  const token = tokens?.[index];
  return isRealToken(token) ? token : undefined;
}

/** Index of the first token starting at or after `offset`, by binary search; tokens.length if none. */
export function indexAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
