// The one diagnostic shape every phase reports. Messages come only from the catalog files.
import type { Span } from "../source/span.js";

export type Severity = "error" | "warning";

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  /** e.g. "CNN3001"; 1xxx syntax, 2xxx names and arguments, 3xxx shapes, 4xxx warnings, 9xxx internal */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly notes: readonly Note[];
  readonly help?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code),
  );
}
