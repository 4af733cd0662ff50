// Chevrotain's recognition exceptions to catalog diagnostics, worded from the grammar context.
import { EOF, type IRecognitionException, type IToken } from "chevrotain";
import { decodeErrorDetail } from "../../grammar/errorDetail.js";
import { isStatementBreak } from "../../grammar/statementBreaks.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { missingEquals, unclosedDelimiter, unexpectedToken } from "../diagnostics/syntax.js";
import { closerFor, innermostOpenBefore } from "./delimiters.js";
import { describeExpected, describeFound, isKeyword } from "./expected.js";
import { span, type Span } from "../source/span.js";
import { indexAtOrAfter, isRealToken, tokenSpan } from "./tokens.js";

/** Where an error was found: the real token (undefined at end of file) and its span. */
interface Found {
  readonly token: IToken | undefined;
  readonly span: Span;
  /** the parser saw a statement boundary here, i.e. a new statement seems to start */
  readonly atStatementStart: boolean;
}

// The name a rule gives its identifier, for "after the binding name".
const nameRoles: Readonly<Record<string, string>> = {
  model: "the model name",
  bindingStmt: "the binding name",
  inputStmt: "the input name",
  outputStmt: "the output name",
};

export function recognitionDiagnostic(error: IRecognitionException, tokens: readonly IToken[]): Diagnostic {
  const found = locateFound(error.token, tokens);
  const previousIndex = indexAtOrAfter(tokens, found.token ? found.span.start : Infinity) - 1;
  // the real token before the error; Chevrotain's own previousToken moves during recovery
  const previous = tokens[previousIndex];
  const beforePrevious = tokens[previousIndex - 1];
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? "file";
  if (error.name === "NotAllInputParsedException") return unexpectedToken(found.span, "'model' or end of file", describeFound(found.token));
  const expected = expectedInContext(decodeErrorDetail(error.message).expected, rule, previous);
  const unclosed = unclosedAt(found, expected, tokens);
  if (unclosed) return unclosed;
  const context = contextPhrase(rule, previous, expected);
  if (expected.includes("Equals") && (rule === "bindingStmt" || rule === "outputStmt")) {
    return missingEquals(found.span, describeExpected(expected), context ?? "after the name", describeFound(found.token));
  }
  if (endsBareOutput(rule, previous, beforePrevious, found)) {
    return missingEquals(found.span, "':' or '='", "after the output name", describeFound(found.token));
  }
  return unexpectedToken(found.span, describeExpected(expected), describeFound(found.token), context, helpFor(found.token, expected));
}

function locateFound(token: IToken, tokens: readonly IToken[]): Found {
  if (isStatementBreak(token)) {
    const next = tokens[indexAtOrAfter(tokens, token.startOffset)];
    if (next) return { token: next, span: tokenSpan(next), atStatementStart: true };
  }
  if (token.tokenType !== EOF && isRealToken(token)) return { token, span: tokenSpan(token), atStatementStart: false };
  // end of file: point just after the last token
  const last = tokens[tokens.length - 1];
  const end = last ? last.startOffset + last.image.length : 0;
  return { token: undefined, span: span(end, end), atStatementStart: true };
}

// The parser names one expected token; a few places accept more, which the message should say.
function expectedInContext(expected: readonly string[], rule: string, previous: IToken | undefined): string[] {
  const only = expected.length === 1 ? expected[0] : undefined;
  if (rule === "argList" && only === "RParen")
    return previous?.tokenType.name === "LParen" ? ["NumberLiteral", "Identifier", "LBracket", "RParen"] : ["Comma", "RParen"];
  if (rule === "shape" && only === "RBracket") return ["Comma", "RBracket"];
  if (rule === "model" && only === "RCurly") return ["Input", "Output", "Train", "Identifier", "RCurly"];
  if (rule === "trainStmt" && only === "RCurly") return ["Loss", "Optimizer", "RCurly"];
  if (rule === "bindingStmt" && only === "Equals" && previous?.tokenType.name === "Identifier") return ["Colon", "Equals"];
  return [...expected];
}

// A missing closer is best reported at its opener, when the file or the statement ends first.
function unclosedAt(found: Found, expected: readonly string[], tokens: readonly IToken[]): Diagnostic | undefined {
  const runsOn = found.atStatementStart || found.token?.tokenType.name === "Model";
  if (!runsOn) return undefined;
  const opener = innermostOpenBefore(tokens, found.span.start);
  const closer = opener ? closerFor(opener) : undefined;
  if (!opener || !closer || !expected.includes(closer.name)) return undefined;
  return unclosedDelimiter(tokenSpan(opener), opener.image, closerText(closer.name), found.span, describeFound(found.token));
}

function closerText(closerName: string): string {
  return closerName === "RCurly" ? "}" : closerName === "RParen" ? ")" : "]";
}

// `output y |> relu`: a bare `output y` parsed, then the pipeline it was meant to have follows.
function endsBareOutput(rule: string, previous: IToken | undefined, beforePrevious: IToken | undefined, found: Found): boolean {
  if (rule !== "model" || found.token?.tokenType.name !== "Pipe") return false;
  return previous?.tokenType.name === "Identifier" && beforePrevious?.tokenType.name === "Output";
}

function contextPhrase(rule: string, previous: IToken | undefined, expected: readonly string[]): string | undefined {
  if (!previous) return undefined;
  // at a statement's start or a block's end, what came before is a whole statement: not worth naming
  if (rule === "stmt" || rule === "trainEntry") return undefined;
  if ((rule === "model" || rule === "trainStmt") && expected.includes("RCurly")) return undefined;
  const role = nameRoles[rule];
  if (role !== undefined && previous.tokenType.name === "Identifier") return `after ${role}`;
  if ((rule === "bindingStmt" || rule === "outputStmt") && previous.tokenType.name === "RBracket") return "after the shape annotation";
  return `after ${describeFound(previous)}`;
}

function helpFor(found: IToken | undefined, expected: readonly string[]): string | undefined {
  if (!found || !isKeyword(found)) return undefined;
  const word = found.image;
  if ((word === "loss" || word === "optimizer") && expected.includes("Train")) return `'${word}' belongs inside a 'train { ... }' block`;
  if (expected.includes("Identifier")) return `'${word}' is a keyword and cannot be used as a name`;
  return undefined;
}
