// The tokens of the .cnn language (LANGUAGE.md, "Lexical rules") and the lexer built from them.
import { createToken, Lexer, type TokenType } from "chevrotain";

// Skipped tokens: white space (a byte-order mark counts as white space). Line comments are kept
// out of the token stream too, in a group of their own, so the formatter (src/fmt/) can keep them.
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /(?:#|\/\/)[^\r\n]*/, group: "comments" });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

// Keywords fall back to Identifier when followed by more name characters, so `models` is a name.
function keyword(word: string): TokenType {
  return createToken({ name: keywordTokenName(word), pattern: new RegExp(word), longer_alt: Identifier });
}

function keywordTokenName(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}

export const Model = keyword("model");
export const Input = keyword("input");
export const Output = keyword("output");
export const Train = keyword("train");
export const Loss = keyword("loss");
export const Optimizer = keyword("optimizer");
export const As = keyword("as");

export const keywordTokens: readonly TokenType[] = [Model, Input, Output, Train, Loss, Optimizer, As];

// `28`, `0.01`, `1e-3`, `.5`, `2.`, `1E+5`; a leading minus is a separate token.
export const NumberLiteral = createToken({ name: "NumberLiteral", pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/ });

export const Pipe = createToken({ name: "Pipe", pattern: /\|>/ });
export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Minus = createToken({ name: "Minus", pattern: /-/ });

// Never lexed: inserted between statements by statementBreaks.ts, so that error recovery
// resynchronises at the next statement rather than at the next name.
export const StatementBreak = createToken({ name: "StatementBreak", pattern: Lexer.NA });

// Order matters: keywords before Identifier, comments before anything starting with `/` or `#`.
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  Pipe,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Colon,
  Comma,
  Equals,
  Minus,
  StatementBreak,
];

// Line and column tracking is off: spans are offsets, and SourceFile maps them to lines.
export const cnnLexer = new Lexer([...allTokens], { positionTracking: "onlyOffset", ensureOptimizations: true });
