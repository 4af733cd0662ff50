// The language ignores newlines, yet statements follow each other with no separator. We insert a
// virtual StatementBreak token wherever a valid program has a statement boundary, so the parser
// can resynchronise there after an error instead of at the next name.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import {
  Identifier,
  Input,
  LCurly,
  Loss,
  NumberLiteral,
  Optimizer,
  Output,
  RBracket,
  RCurly,
  RParen,
  StatementBreak,
  Train,
} from "./lexer.js";

// Tokens that can begin a statement or a train entry.
const statementStarts: ReadonlySet<TokenType> = new Set([Identifier, Input, Output, Train, Loss, Optimizer]);

// Tokens that can end a statement, or open a block of statements. In a valid program a
// statement start that follows one of these always begins a new statement.
const statementEnds: ReadonlySet<TokenType> = new Set([Identifier, RParen, RBracket, RCurly, LCurly]);

export function insertStatementBreaks(tokens: readonly IToken[], text: string): IToken[] {
  const result: IToken[] = [];
  let previous: IToken | undefined;
  for (const token of tokens) {
    if (previous && isBoundary(previous, token, text)) result.push(statementBreakBefore(token));
    result.push(token);
    previous = token;
  }
  return result;
}

export function isStatementBreak(token: IToken): boolean {
  return token.tokenType === StatementBreak;
}

/** Whether a StatementBreak goes between `previous` and `token`. */
export function isBoundary(previous: IToken, token: IToken, text: string): boolean {
  if (!statementStarts.has(token.tokenType)) return false;
  if (statementEnds.has(previous.tokenType)) return true;
  // A number never ends a statement; a new line after one most likely means an unclosed `(`.
  return previous.tokenType === NumberLiteral && startsLine(token.startOffset, text);
}

/** Whether only spaces and tabs stand between the start of the line and `offset`. */
export function startsLine(offset: number, text: string): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") return true;
    if (ch !== " " && ch !== "\t") return false;
  }
  return true;
}

// A zero-width token at the start of the statement it announces.
function statementBreakBefore(token: IToken): IToken {
  return createTokenInstance(StatementBreak, "", token.startOffset, token.startOffset - 1, NaN, NaN, NaN, NaN);
}
