// The front half of the pipeline: source text to a checked program, and every diagnostic found.
import { SourceFile } from "./source/span.js";
import { parse } from "./syntax/parse.js";
import { check } from "./check/check.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics/diagnostic.js";
import type { CheckedProgram } from "./check/types.js";
import type { Limits } from "./check/limits.js";

export interface Analysis {
  readonly file: SourceFile;
  readonly diagnostics: readonly Diagnostic[];
  /** present when there is no error */
  readonly checked?: CheckedProgram;
}

export function analyze(source: string, path = "<input>", limits: Partial<Limits> = {}): Analysis {
  const file = new SourceFile(path, source);
  const parsed = parse(file);
  if (!parsed.program || hasErrors(parsed.diagnostics)) return { file, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const checked = check(parsed.program, { limits });
  if (!checked.program || hasErrors(checked.diagnostics)) return { file, diagnostics: sortDiagnostics(checked.diagnostics) };
  return { file, diagnostics: sortDiagnostics(checked.diagnostics), checked: checked.program };
}
