// Source text to tokens. Characters no token starts with become diagnostics and lexing goes on.
import type { IToken } from "chevrotain";
import { cnnLexer, NumberLiteral } from "../../grammar/lexer.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { numberTooLong, unexpectedCharacter } from "../diagnostics/syntax.js";
import { syntaxLimits } from "./limits.js";
import { span } from "../source/span.js";
import { tokenSpan } from "./tokens.js";
import { quoteSource } from "./quote.js";

export interface Lexed {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

export function lex(text: string): Lexed {
  const result = cnnLexer.tokenize(text);
  const diagnostics = result.errors.map((error) => {
    const skipped = text.slice(error.offset, error.offset + error.length);
    return unexpectedCharacter(span(error.offset, error.offset + error.length), quoteSource(skipped), [...skipped].length);
  });
  for (const token of result.tokens) {
    if (token.tokenType === NumberLiteral && token.image.length > syntaxLimits.maxNumberLength) {
      diagnostics.push(numberTooLong(tokenSpan(token), token.image.length, syntaxLimits.maxNumberLength));
    }
  }
  return { tokens: result.tokens, diagnostics };
}
