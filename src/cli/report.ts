// Diagnostics out of the CLI: rendered on stderr, or as JSON on stdout with --json.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../diagnostics/json.js";
import { renderDiagnostics } from "../diagnostics/render.js";
import type { SourceFile } from "../source/span.js";
import type { CliIo } from "./io.js";
import { jsonText } from "./jsonText.js";

export function printJson(io: CliIo, value: unknown): void {
  io.out(jsonText(value));
}

/** For a failed run: every diagnostic, where the user asked for it. */
export function reportFailure(io: CliIo, diagnostics: readonly Diagnostic[], file: SourceFile, json: boolean): void {
  if (json) printJson(io, { diagnostics: toJsonDiagnostics(diagnostics, file) });
  else io.err(renderDiagnostics(diagnostics, file, { color: io.errColor }));
}

/** For a successful run: warnings go to stderr unless they travel in the JSON result. */
export function reportWarnings(io: CliIo, diagnostics: readonly Diagnostic[], file: SourceFile, json: boolean): void {
  if (!json && diagnostics.length > 0) io.err(renderDiagnostics(diagnostics, file, { color: io.errColor }));
}

/** How a path appears in diagnostics and JSON. */
export function displayPath(input: string): string {
  return input === "-" ? "<stdin>" : input;
}
