// Diagnostics as plain data for editors and tools (`cnnc --json`): 1-based lines and columns,
// the end exclusive, sorted by position.
import type { SourceFile } from "../source/span.js";
import { sortDiagnostics, type Diagnostic, type Severity } from "./diagnostic.js";

export interface JsonNote {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** exclusive: the column just after the span */
  readonly endColumn: number;
  readonly notes: JsonNote[];
  readonly help?: string;
}

export function toJsonDiagnostics(diags: readonly Diagnostic[], file: SourceFile): JsonDiagnostic[] {
  return sortDiagnostics(diags).map((d) => {
    const start = file.position(d.span.start);
    const end = file.position(d.span.end);
    const notes = d.notes.map((n): JsonNote => (n.span ? { message: n.message, ...file.position(n.span.start) } : { message: n.message }));
    const json: JsonDiagnostic = {
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: file.path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      notes,
    };
    return d.help === undefined ? json : { ...json, help: d.help };
  });
}
