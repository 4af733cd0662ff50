// Catalog of CNN1xxx diagnostics: characters, tokens and structure (grammar/ and src/syntax/).
// Style: lower case, no final period; tokens and source text in single quotes.
import type { Span } from "../source/span.js";
import type { Diagnostic, Note, Severity } from "./diagnostic.js";

// prettier-ignore
export const syntaxCodes = [
  "CNN1001", "CNN1002", "CNN1003", "CNN1004", "CNN1005", "CNN1006", "CNN1007", "CNN1008", "CNN1009", "CNN1010",
  "CNN1011", "CNN1012", "CNN1013",
] as const;

export type SyntaxCode = (typeof syntaxCodes)[number];

function syntaxError(code: SyntaxCode, span: Span, message: string, notes: Note[] = [], help?: string): Diagnostic {
  return help === undefined ? { code, severity: "error", message, span, notes } : { code, severity: "error", message, span, notes, help };
}

/** CNN1001: characters no token starts with, such as `@`, `é` or a NUL byte; `shown` is already quoted. */
export function unexpectedCharacter(span: Span, shown: string, count: number): Diagnostic {
  const what = count === 1 ? "character" : "characters";
  const help = "names use ASCII letters, digits and '_'; comments start with '#' or '//'";
  return syntaxError("CNN1001", span, `unexpected ${what} ${shown}`, [], help);
}

/**
 * CNN1002: a token the grammar does not allow here. `expected` and `found` are worded already
 * ("':' or '='", "'|>'"); `context` says where, e.g. "after the binding name".
 */
export function unexpectedToken(span: Span, expected: string, found: string, context?: string, help?: string): Diagnostic {
  const where = context === undefined ? "" : ` ${context}`;
  return syntaxError("CNN1002", span, `expected ${expected}${where}, found ${found}`, [], help);
}

/** CNN1003: an opening '{', '(' or '[' whose closing partner never comes. */
export function unclosedDelimiter(open: Span, delimiter: string, close: string, foundAt: Span, found: string): Diagnostic {
  const notes = [{ message: `expected '${close}' before ${found}`, span: foundAt }];
  return syntaxError("CNN1003", open, `unclosed '${delimiter}'`, notes, `add the missing '${close}'`);
}

/** CNN1004: a binding or output whose name is not followed by '=' (or ':' and a shape, then '='). */
export function missingEquals(span: Span, expected: string, context: string, found: string): Diagnostic {
  const help = "a binding reads 'name = source |> op', or 'name: [dims] = ...' with a shape assertion";
  return syntaxError("CNN1004", span, `expected ${expected} ${context}, found ${found}`, [], help);
}

/** CNN1005: a number literal longer than the parser accepts. */
export function numberTooLong(span: Span, length: number, max: number): Diagnostic {
  return syntaxError("CNN1005", span, `number literal is too long (${length} characters, the limit is ${max})`);
}

/** CNN1006: call values nested deeper than the parser accepts, as in `f(a: f(a: f(...)))`. */
export function nestingTooDeep(span: Span, max: number): Diagnostic {
  return syntaxError("CNN1006", span, `parentheses are nested too deeply (the limit is ${max} levels)`);
}

/** CNN1007: a file with no model declaration at all, such as an empty file. */
export function noModel(span: Span): Diagnostic {
  return syntaxError("CNN1007", span, "this file declares no model", [], "a file declares one or more models: 'model Name { ... }'");
}

/** CNN1008: a source text longer than the compiler accepts. */
export function sourceTooLong(span: Span, length: number, max: number): Diagnostic {
  return syntaxError("CNN1008", span, `source is too long (${length} characters, the limit is ${max})`);
}

/** CNN1009: reported once, after the first `max` syntax errors, in place of the rest. */
export function tooManyErrors(span: Span, max: number): Diagnostic {
  return syntaxError("CNN1009", span, `too many syntax errors, only the first ${max} are shown`, [], "fix these and compile again");
}

/** CNN1010: a shape dimension written with a fraction or an exponent, such as `[2.5]` or `[1e3]`. */
export function nonIntegerDimension(span: Span, text: string): Diagnostic {
  return syntaxError(
    "CNN1010",
    span,
    `shape dimensions are integers, found '${text}'`,
    [],
    "write a whole number such as 28, without '.' or an exponent",
  );
}

/** CNN1011: a name where a keyword must be, close to one: `inptu x: [4]`, `trian {`, `dense(2) sa name`. */
export function misspeltKeyword(span: Span, written: string, keyword: string): Diagnostic {
  return syntaxError("CNN1011", span, `unknown keyword '${written}'`, [], `did you mean '${keyword}'?`);
}

/** CNN1012: a source text with more tokens than the compiler accepts. */
export function tooManyTokens(span: Span, count: number, max: number): Diagnostic {
  return syntaxError("CNN1012", span, `source has too many tokens (${grouped(count)}, the limit is ${grouped(max)})`, [], "split the models over several files");
}

/** CNN1013: reported once, after the first `shown` diagnostics of a file, in place of the rest;
 *  an error when any of the rest is one, else a warning. */
export function moreDiagnostics(span: Span, shown: number, more: number, severity: Severity): Diagnostic {
  const what = more === 1 ? "diagnostic" : "diagnostics";
  const message = `and ${grouped(more)} more ${what}, not shown (only the first ${shown} are)`;
  return { code: "CNN1013", severity, message, span, notes: [], help: "fix these and compile again" };
}

const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
