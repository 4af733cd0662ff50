// Misspelt keywords. `inptu x: [4]` lexes as two names, which no statement allows, and the
// parser then reports confusing errors for the rest of the statement. Where a name stands in a
// keyword's place and the tokens after it cannot be anything else (a name followed by a name or
// by '{' never starts a binding), a name close to a keyword is reported once, with the keyword
// suggested, and parsing goes on as if the keyword were written: one mistake, one message.
import { createTokenInstance, type IToken, type TokenType } from "chevrotain";
import { As, Identifier, Input, LCurly, Loss, Model, Optimizer, Output, RCurly, RParen, Train } from "../../grammar/lexer.js";
import { isBoundary } from "../../grammar/statementBreaks.js";
import { suggest } from "../check/suggest.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { misspeltKeyword } from "../diagnostics/syntax.js";
import { tokenSpan } from "./tokens.js";

const keywordTypes: ReadonlyMap<string, TokenType> = new Map([
  ["model", Model],
  ["input", Input],
  ["output", Output],
  ["train", Train],
  ["loss", Loss],
  ["optimizer", Optimizer],
  ["as", As],
]);

type Block = "model" | "train" | "other";

export interface KeywordFix {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function fixMisspeltKeywords(tokens: readonly IToken[], text: string): KeywordFix {
  let fixed: IToken[] | undefined;
  const diagnostics: Diagnostic[] = [];
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = (fixed ?? tokens)[i - 1];
    if (token.tokenType === LCurly) blocks.push(blocks.length === 0 ? "model" : previous?.tokenType === Train ? "train" : "other");
    else if (token.tokenType === RCurly) blocks.pop();
    if (token.tokenType !== Identifier) continue;
    // where the parser will see a StatementBreak, i.e. a statement may start
    const atStatement = previous !== undefined && isBoundary(previous, token, text);
    const word = keywordFor(token.image, candidatesAt(blocks, atStatement, previous, tokens[i + 1], text));
    if (word === undefined) continue;
    diagnostics.push(misspeltKeyword(tokenSpan(token), token.image, word));
    fixed ??= [...tokens];
    fixed[i] = asKeyword(token, keywordTypes.get(word)!);
  }
  return { tokens: fixed ?? (tokens as IToken[]), diagnostics };
}

/** The keywords that could stand where `previous`, the name, and `next` are. */
function candidatesAt(blocks: readonly Block[], atStatement: boolean, previous: IToken | undefined, next: IToken | undefined, text: string): string[] {
  const nextType = next?.tokenType;
  if (blocks.length === 0) return nextType === Identifier ? ["model"] : [];
  if (!atStatement) return [];
  const block = blocks[blocks.length - 1];
  if (nextType === LCurly) return block === "model" ? ["train"] : [];
  if (nextType !== Identifier) return [];
  // `dense(2) sa name`: after a call, on the same line, a name then a name is a misspelt `as`
  const afterCall = previous !== undefined && (previous.tokenType === RParen || previous.tokenType === Identifier) && !lineBreakBetween(previous, next!, text);
  if (afterCall) return ["as"];
  return block === "train" ? ["loss", "optimizer"] : block === "model" ? ["input", "output"] : [];
}

function keywordFor(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  // two letters get no edit budget in `suggest`; a swapped or miscased `as` is still plainly `as`
  if (candidates.includes("as")) return name.length === 2 && [...name.toLowerCase()].sort().join("") === "as" ? "as" : undefined;
  return suggest(name, candidates);
}

function lineBreakBetween(a: IToken, b: IToken, text: string): boolean {
  return /[\r\n]/.test(text.slice(a.startOffset, b.startOffset));
}

function asKeyword(token: IToken, type: TokenType): IToken {
  const end = token.endOffset ?? token.startOffset + token.image.length - 1;
  return createTokenInstance(type, token.image, token.startOffset, end, NaN, NaN, NaN, NaN);
}
