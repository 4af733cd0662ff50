// Source text to AST: lex, bound the input, parse with recovery, build the AST, and report every
// independent syntax error (at most one per statement, at most syntaxLimits.maxErrors in all).
import type { IRecognitionException, IToken } from "chevrotain";
import type { FileCstNode } from "../../grammar/cst.js";
import { CnnParser, TooManyParseErrors } from "../../grammar/parser.js";
import { insertStatementBreaks } from "../../grammar/statementBreaks.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { nestingTooDeep, noModel, sourceTooLong, tooManyErrors } from "../diagnostics/syntax.js";
import type { Program } from "./ast.js";
import { firstTooDeep } from "./delimiters.js";
import { fixMisspeltKeywords } from "./keywords.js";
import { lex } from "./lex.js";
import { syntaxLimits } from "./limits.js";
import { recognitionDiagnostic } from "./recognition.js";
import { span, type SourceFile } from "../source/span.js";
import { onePerStatement, statementStarts } from "./statements.js";
import { toAst } from "./toAst.js";
import { tokenSpan } from "./tokens.js";

export interface ParseResult {
  /** the AST; partial when there are syntax errors, undefined when nothing could be parsed */
  readonly program?: Program;
  readonly diagnostics: Diagnostic[];
}

// Building a Chevrotain parser analyses the grammar, so one instance is shared; parse is synchronous.
let sharedParser: CnnParser | undefined;

export function parse(file: SourceFile): ParseResult {
  const text = file.text;
  if (text.length > syntaxLimits.maxSourceLength) {
    return { diagnostics: [sourceTooLong(span(0, 0), text.length, syntaxLimits.maxSourceLength)] };
  }
  const lexed = lex(text);
  const keywords = fixMisspeltKeywords(lexed.tokens, text);
  const tokens = keywords.tokens;
  const withBreaks = insertStatementBreaks(tokens, text);
  const starts = statementStarts(withBreaks, text);
  if (lexed.tokens.length === 0) {
    const diagnostics = lexed.diagnostics.length > 0 ? lexed.diagnostics : [noModel(span(0, 0))];
    return { diagnostics: limit(diagnostics, starts) };
  }
  const tooDeep = firstTooDeep(tokens, syntaxLimits.maxNesting);
  if (tooDeep) {
    return { diagnostics: limit([...lexed.diagnostics, nestingTooDeep(tokenSpan(tooDeep), syntaxLimits.maxNesting)], starts) };
  }
  const { cst, errors, stopped } = runParser(withBreaks);
  const built = toAst(cst, text);
  const parseDiagnostics = firstErrorPerStatement(errors, starts, text).map((e) => recognitionDiagnostic(e, tokens));
  const all = [...lexed.diagnostics, ...keywords.diagnostics, ...parseDiagnostics, ...built.diagnostics];
  const limited = limit(all, starts);
  // a stopped parse has more errors than it found; say so when the limit did not already
  const last = errors[errors.length - 1];
  if (stopped && last && limited.every((d) => d.code !== "CNN1009")) {
    const at = Number.isFinite(last.token.startOffset) ? last.token.startOffset : text.length;
    limited.push(tooManyErrors(span(at, at), limited.length));
  }
  return { program: built.program, diagnostics: limited };
}

function runParser(tokens: IToken[]): { cst: FileCstNode; errors: IRecognitionException[]; stopped: boolean } {
  sharedParser ??= new CnnParser();
  // enough raw errors to find maxErrors statements with one each, even where several share one
  sharedParser.maxErrors = syntaxLimits.maxErrors * 4;
  // Chevrotain makes an Error per syntax error; their stack traces are unused and costly
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    sharedParser.input = tokens;
    const cst = sharedParser.file() as FileCstNode;
    return { cst, errors: [...sharedParser.errors], stopped: false };
  } catch (error) {
    if (!(error instanceof TooManyParseErrors)) throw error;
    // no tree after a stopped parse: with syntax errors, nothing after the parser runs anyway
    return { cst: { name: "file", children: {} } as FileCstNode, errors: [...sharedParser.errors], stopped: true };
  } finally {
    Error.stackTraceLimit = savedLimit;
    // drop the token array, which may be large, until the next parse
    sharedParser.input = [];
  }
}

// Wording an error looks around in the token stream, so only the errors that will be reported are worded.
function firstErrorPerStatement(
  errors: readonly IRecognitionException[],
  starts: readonly number[],
  text: string,
): IRecognitionException[] {
  const at = (e: IRecognitionException): number => (Number.isFinite(e.token.startOffset) ? e.token.startOffset : text.length);
  const sorted = [...errors].sort((a, b) => at(a) - at(b));
  return onePerStatement(sorted, at, starts).slice(0, syntaxLimits.maxErrors + 1);
}

// One diagnostic per statement, and no more than maxErrors, then one line saying how many more.
function limit(diagnostics: readonly Diagnostic[], starts: readonly number[]): Diagnostic[] {
  const kept = onePerStatement(sortDiagnostics(diagnostics), (d) => d.span.start, starts);
  if (kept.length <= syntaxLimits.maxErrors) return kept;
  const firstDropped = kept[syntaxLimits.maxErrors]!;
  return [...kept.slice(0, syntaxLimits.maxErrors), tooManyErrors(firstDropped.span, syntaxLimits.maxErrors)];
}
