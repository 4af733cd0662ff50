// Diagnostics as plain data for editors and tools (`cnnc --json`): 1-based lines and columns,
// the end exclusive, sorted by position.
import type { SourceFile, Span } from "../source/span.js";
import { sortDiagnostics, type Diagnostic, type Severity } from "./diagnostic.js";

/** A note with a span carries its whole location; a note without one only its message. */
export interface JsonNote {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
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
    const notes = d.notes.map((n): JsonNote => (n.span ? { message: n.message, ...location(file, n.span) } : { message: n.message }));
    const json: JsonDiagnostic = {
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...location(file, d.span),
      notes,
    };
    return d.help === undefined ? json : { ...json, help: d.help };
  });
}

function location(file: SourceFile, span: Span): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  const start = file.position(span.start);
  const end = file.position(span.end);
  return { file: file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}
