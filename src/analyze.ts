// The front half of the pipeline: source text to a checked program, and every diagnostic found.
import { SourceFile } from "./source/span.js";
import { parse } from "./syntax/parse.js";
import { check } from "./check/check.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { CheckedProgram } from "./check/types.js";
import type { Limits } from "./check/limits.js";
import { moreDiagnostics } from "./diagnostics/syntax.js";
import { syntaxLimits } from "./syntax/limits.js";
import type { Program } from "./syntax/ast.js";
import type { ModelDraft } from "./check/state.js";

export interface Analysis {
  readonly file: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** the AST, for editors (src/lsp/); partial when there are syntax errors */
  readonly program?: Program;
  /** what the checker worked out of each model even with errors, for editors; absent after syntax errors */
  readonly drafts?: readonly ModelDraft[];
  /** present when there is no error */
  readonly checked?: CheckedProgram;
}

export function analyze(source: string, path = "<input>", limits: Partial<Limits> = {}): Analysis {
  const file = new SourceFile(path, source);
  const parsed = parse(file);
  const program = parsed.program;
  if (!program) return { file, diagnostics: capped(parsed.diagnostics) };
  if (hasErrors(parsed.diagnostics)) return { file, program, diagnostics: capped(parsed.diagnostics) };
  const checked = check(program, { limits });
  const { drafts } = checked;
  if (!checked.program || hasErrors(checked.diagnostics)) return { file, program, drafts, diagnostics: capped(checked.diagnostics) };
  return { file, program, drafts, diagnostics: capped(checked.diagnostics), checked: checked.program };
}

// Sorted, and at most maxDiagnostics of them, then one line that counts the rest.
function capped(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  const max = syntaxLimits.maxDiagnostics;
  if (sorted.length <= max) return sorted;
  const rest = sorted.slice(max);
  const severity = rest.some((d) => d.severity === "error") ? "error" : "warning";
  return [...sorted.slice(0, max), moreDiagnostics(rest[0]!.span, max, rest.length, severity)];
}
