// Whether one space or none goes between two tokens on one line: `conv2d(6, kernel: 5)`,
// `[28, 28, 1]`, `a |> relu`, `lr: -0.5`.
import type { TokenType } from "chevrotain";
import { Colon, Comma, Identifier, LBracket, LParen, Minus, RBracket, RParen } from "../../grammar/lexer.js";

// Minus only ever appears as a sign, which sticks to its number
const noSpaceAfter: ReadonlySet<TokenType> = new Set([LParen, LBracket, Minus]);
const noSpaceBefore: ReadonlySet<TokenType> = new Set([RParen, RBracket, Comma, Colon]);

export function spaceBetween(previous: TokenType, next: TokenType): boolean {
  if (noSpaceBefore.has(next) || noSpaceAfter.has(previous)) return false;
  // a call's parenthesis follows its name: `dense(10)`, `step(every: 10)`
  return !(next === LParen && previous === Identifier);
}
