// Diagnostics as text, clang/rustc style: a located header, the source line, a caret underline,
// then located notes with their own snippets, span-less notes and help; sorted by position.
import type { SourceFile, Span } from "../source/span.js";
import { sortDiagnostics, type Diagnostic, type Severity } from "./diagnostic.js";
import { snippetFor } from "./snippet.js";

export interface RenderOptions {
  /** ANSI colors, for a terminal */
  readonly color?: boolean;
}

interface Paint {
  readonly bold: (s: string) => string;
  readonly severity: (severity: Severity | "note" | "help", s: string) => string;
  readonly gutter: (s: string) => string;
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const severityColors = { error: "1;31", warning: "1;33", note: "1;36", help: "1;32" } as const;

const colorPaint: Paint = {
  bold: ansi("1"),
  severity: (severity, s) => ansi(severityColors[severity])(s),
  gutter: ansi("1;34"),
};

const plainPaint: Paint = { bold: (s) => s, severity: (_severity, s) => s, gutter: (s) => s };

export function renderDiagnostics(diags: readonly Diagnostic[], file: SourceFile, options: RenderOptions = {}): string {
  if (diags.length === 0) return "";
  const paint = options.color ? colorPaint : plainPaint;
  const blocks = sortDiagnostics(diags).map((d) => renderOne(d, file, paint));
  return `${blocks.join("\n\n")}\n\n${summary(diags, paint)}\n`;
}

function renderOne(d: Diagnostic, file: SourceFile, paint: Paint): string {
  const located = d.notes.filter((n) => n.span !== undefined);
  const gutterWidth = Math.max(...[d.span, ...located.map((n) => n.span!)].map((s) => String(file.position(s.start).line).length));
  const title = paint.severity(d.severity, `${d.severity}[${d.code}]`);
  const lines = [
    `${paint.bold(`${where(file, d.span)}:`)} ${title}${paint.bold(`: ${d.message}`)}`,
    ...snippetLines(file, d.span, gutterWidth, d.severity, paint),
  ];
  for (const note of located) {
    lines.push(`${paint.bold(`${where(file, note.span!)}:`)} ${paint.severity("note", "note")}: ${note.message}`);
    lines.push(...snippetLines(file, note.span!, gutterWidth, "note", paint));
  }
  // `=` lines up with the gutter's `|`
  const pad = " ".repeat(gutterWidth + 3);
  for (const note of d.notes.filter((n) => n.span === undefined))
    lines.push(`${pad}${paint.gutter("=")} ${paint.bold("note")}: ${note.message}`);
  if (d.help !== undefined) lines.push(`${pad}${paint.gutter("=")} ${paint.bold("help")}: ${d.help}`);
  return lines.join("\n");
}

function where(file: SourceFile, span: Span): string {
  const { line, column } = file.position(span.start);
  return `${file.path}:${line}:${column}`;
}

function snippetLines(file: SourceFile, span: Span, gutterWidth: number, kind: Severity | "note", paint: Paint): string[] {
  const snippet = snippetFor(file, span);
  const number = String(snippet.line).padStart(gutterWidth);
  const carets = " ".repeat(snippet.caretColumn) + paint.severity(kind, "^".repeat(snippet.caretCount));
  return [`${paint.gutter(`  ${number} |`)} ${snippet.text}`.trimEnd(), `${paint.gutter(`  ${" ".repeat(gutterWidth)} |`)} ${carets}`];
}

function summary(diags: readonly Diagnostic[], paint: Paint): string {
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  const counts = [count(errors, "error"), count(warnings, "warning")].filter((c) => c !== "").join(" and ");
  const severity: Severity = errors > 0 ? "error" : "warning";
  return `${paint.severity(severity, severity)}${paint.bold(`: ${counts} found`)}`;
}

function count(n: number, word: string): string {
  if (n === 0) return "";
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
