// The front half of the pipeline: source text to a checked program, and every diagnostic found.
import { SourceFile } from "./source/span.js";
import { parse } from "./syntax/parse.js";
import { check } from "./check/check.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { CheckedProgram } from "./check/types.js";
import type { Limits } from "./check/limits.js";
import { moreDiagnostics } from "./diagnostics/syntax.js";
import { syntaxLimits } from "./syntax/limits.js";

export interface Analysis {
  readonly file: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** present when there is no error */
  readonly checked?: CheckedProgram;
}

export function analyze(source: string, path = "<input>", limits: Partial<Limits> = {}): Analysis {
  const file = new SourceFile(path, source);
  const parsed = parse(file);
  if (!parsed.program || hasErrors(parsed.diagnostics)) return { file, diagnostics: capped(parsed.diagnostics) };
  const checked = check(parsed.program, { limits });
  if (!checked.program || hasErrors(checked.diagnostics)) return { file, diagnostics: capped(checked.diagnostics) };
  return { file, diagnostics: capped(checked.diagnostics), checked: checked.program };
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
