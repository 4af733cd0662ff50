// "At most one error per statement": a mistake often confuses the parser for the rest of its
// statement, so only the first diagnostic in each statement is kept.
import { Model } from "../../grammar/lexer.js";
import type { IToken } from "chevrotain";
import { isStatementBreak, startsLine } from "../../grammar/statementBreaks.js";

/**
 * Offsets where a statement (or model) starts, ascending: a statement break that begins its
 * line, and each 'model' keyword. Two statements on one line count as one, which errs towards
 * reporting fewer follow-on errors.
 */
export function statementStarts(tokensWithBreaks: readonly IToken[], text: string): number[] {
  const starts: number[] = [];
  for (const token of tokensWithBreaks) {
    const boundary = token.tokenType === Model || (isStatementBreak(token) && startsLine(token.startOffset, text));
    if (boundary && starts[starts.length - 1] !== token.startOffset) starts.push(token.startOffset);
  }
  return starts;
}

/** Keeps the first item of each statement; `items` must be sorted by offset. */
export function onePerStatement<T>(items: readonly T[], offsetOf: (item: T) => number, starts: readonly number[]): T[] {
  const kept: T[] = [];
  let lastGroup = -1;
  for (const item of items) {
    const group = countAtOrBefore(starts, offsetOf(item));
    if (group === lastGroup) continue;
    kept.push(item);
    lastGroup = group;
  }
  return kept;
}

// Binary search: how many of the ascending `offsets` are <= `offset`.
function countAtOrBefore(offsets: readonly number[], offset: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
