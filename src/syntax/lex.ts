// Source text to tokens. Characters no token starts with become diagnostics, one per run of
// them (bad-characters.ts), and lexing goes on.
import type { IToken } from "chevrotain";
import { cnnLexer, NumberLiteral } from "../../grammar/lexer.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { numberTooLong, tooManyTokens, unexpectedCharacter } from "../diagnostics/syntax.js";
import { scanBadCharacters } from "./bad-characters.js";
import { syntaxLimits } from "./limits.js";
import { span } from "../source/span.js";
import { tokenSpan } from "./tokens.js";
import { quoteSource } from "./quote.js";

export interface Lexed {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

// More than the parser reports: the one-per-statement rule may merge several runs into one.
const maxReportedRuns = syntaxLimits.maxErrors * 4;

export function lex(text: string): Lexed {
  const scanned = scanBadCharacters(text, maxReportedRuns);
  // counted before the lexer makes an object per token: the bound on time and memory
  if (scanned.tokens > syntaxLimits.maxTokens) return { tokens: [], diagnostics: [tooManyTokens(span(0, 0), scanned.tokens, syntaxLimits.maxTokens)] };
  const diagnostics = scanned.runs.map((run) => {
    // quoteSource shows 24 characters: a longer run needs no more than a little past that
    const shown = text.slice(run.start, Math.min(run.end, run.start + 64));
    return unexpectedCharacter(span(run.start, run.end), quoteSource(shown), run.several ? 2 : 1);
  });
  // the masked text has the same tokens at the same offsets; images come from it, identical
  const result = cnnLexer.tokenize(scanned.masked);
  // the scan mirrors the lexer's tokens, so the lexer finds nothing more; if it ever did, it is
  // still reported as the character it is
  for (const error of result.errors) {
    const skipped = text.slice(error.offset, error.offset + Math.min(error.length, 64));
    diagnostics.push(unexpectedCharacter(span(error.offset, error.offset + error.length), quoteSource(skipped), error.length));
  }
  for (const token of result.tokens) {
    if (token.tokenType === NumberLiteral && token.image.length > syntaxLimits.maxNumberLength) {
      diagnostics.push(numberTooLong(tokenSpan(token), token.image.length, syntaxLimits.maxNumberLength));
    }
  }
  return { tokens: result.tokens, diagnostics };
}
