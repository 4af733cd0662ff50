// Diagnostics out of the CLI: rendered on stderr, or as JSON on stdout with --json.
import { relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../diagnostics/json.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import type { SourceFile } from "../source/span.js";
import type { CliIo } from "./io.js";
import { jsonText } from "./jsonText.js";

export function printJson(io: CliIo, value: unknown): void {
  io.out(jsonText(value));
}

/**
 * For a failed run: every diagnostic, where the user asked for it. With --json the object has
 * the same keys as a successful run's (`empty` holds them: `models: []` for check, `output` for
 * compile), so a tool reads one shape (docs/cnnc-output.schema.json).
 */
export function reportFailure(
  io: CliIo,
  diagnostics: readonly Diagnostic[],
  file: SourceFile,
  json: boolean,
  empty: Readonly<Record<string, unknown>>,
): void {
  if (json) printJson(io, { file: file.path, ...empty, diagnostics: toJsonDiagnostics(diagnostics, file) });
  else io.err(renderDiagnostics(diagnostics, file, { color: io.errColor }));
}

/** For a successful run: warnings go to stderr unless they travel in the JSON result. */
export function reportWarnings(io: CliIo, diagnostics: readonly Diagnostic[], file: SourceFile, json: boolean): void {
  if (!json && diagnostics.length > 0) io.err(renderDiagnostics(diagnostics, file, { color: io.errColor }));
}

/** With --deny-warnings every warning counts as an error (and is shown as one). */
export function applyDenyWarnings(diagnostics: readonly Diagnostic[], deny: boolean): readonly Diagnostic[] {
  return deny ? diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" } : d)) : diagnostics;
}

/**
 * How a path appears in diagnostics, JSON and the generated header: relative to the working
 * directory, with forward slashes, so output does not depend on where a checkout lives.
 */
export function displayPath(input: string): string {
  if (input === "-") return "<stdin>";
  const path = relative(process.cwd(), resolve(input));
  return sep === "/" ? path : path.split(sep).join("/");
}
