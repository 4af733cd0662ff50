// What must hold for every input to analyze(): no exception, a bounded time, and diagnostics that
// point inside the text at a line and column a reader can find. Problems are returned as strings
// (not thrown) so the vitest file and the long-run script report them the same way.
import { analyze, type Analysis } from "../../src/analyze.js";
import { allCodes } from "../../src/diagnostics/index.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../../src/diagnostics/json.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import type { SourceFile, Span } from "../../src/source/span.js";
import { analyzeBudgetMs } from "./settings.js";

export interface Examined {
  readonly analysis?: Analysis;
  readonly ms: number;
  readonly problems: readonly string[];
}

export function examine(source: string, budgetMs = analyzeBudgetMs): Examined {
  const start = performance.now();
  let analysis: Analysis;
  try {
    analysis = analyze(source, "fuzz.cnn");
  } catch (e) {
    return { ms: performance.now() - start, problems: [`analyze threw: ${e instanceof Error ? e.stack : String(e)}`] };
  }
  const ms = performance.now() - start;
  const problems: string[] = [];
  if (ms > budgetMs) problems.push(`analyze took ${ms.toFixed(0)} ms, over ${budgetMs} ms`);
  problems.push(...diagnosticProblems(analysis, source), ...positionProblems(analysis), ...outcomeProblems(analysis));
  return { analysis, ms, problems };
}

function diagnosticProblems(analysis: Analysis, source: string): string[] {
  const problems: string[] = [];
  // words a message may only contain when the user wrote them
  const suspicious = ["NaN", "undefined", "Infinity", "null", "[object"].filter((w) => !source.includes(w));
  for (const d of analysis.diagnostics) {
    const where = `${d.code} "${d.message}"`;
    if (!allCodes.includes(d.code)) problems.push(`${where}: code not in the catalog`);
    if (d.code.startsWith("CNN9")) problems.push(`${where}: internal error`);
    if (d.severity !== "error" && d.severity !== "warning") problems.push(`${where}: severity ${String(d.severity)}`);
    if (d.message.trim() === "") problems.push(`${d.code}: empty message`);
    for (const word of suspicious)
      if (d.message.includes(word) || d.notes.some((n) => n.message.includes(word))) problems.push(`${where}: mentions ${word}`);
    for (const s of spansOf(d))
      if (!spanInside(s, source.length)) problems.push(`${where}: span ${s.start}..${s.end} outside 0..${source.length}`);
  }
  return problems;
}

function spansOf(d: Diagnostic): Span[] {
  return [d.span, ...d.notes.flatMap((n) => (n.span ? [n.span] : []))];
}

function spanInside(s: Span, length: number): boolean {
  return Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= length;
}

/** Every rendered line and column names a place in the text; rendering itself never throws. */
function positionProblems(analysis: Analysis): string[] {
  const { file, diagnostics } = analysis;
  if (diagnostics.length === 0) return [];
  const problems: string[] = [];
  try {
    for (const d of toJsonDiagnostics(diagnostics, file)) {
      const places: [string, number | undefined, number | undefined][] = [
        ["start", d.line, d.column],
        ["end", d.endLine, d.endColumn],
        ...d.notes.map((n, i): [string, number | undefined, number | undefined] => [`note ${i + 1}`, n.line, n.column]),
      ];
      for (const [what, line, column] of places) {
        const problem = placeProblem(file, line, column);
        if (problem) problems.push(`${d.code} "${d.message}" ${what}: ${problem}`);
      }
    }
    if (renderDiagnostics(diagnostics, file).trim() === "") problems.push("rendered diagnostics are empty");
  } catch (e) {
    problems.push(`rendering threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
  return problems;
}

function placeProblem(file: SourceFile, line: number | undefined, column: number | undefined): string | undefined {
  // notes without a span have no place
  if (line === undefined && column === undefined) return undefined;
  if (line === undefined || column === undefined) return `line ${line}, column ${column}`;
  if (!Number.isInteger(line) || line < 1 || line > file.lineCount) return `line ${line} of ${file.lineCount}`;
  const length = file.lineText(line).length;
  if (!Number.isInteger(column) || column < 1 || column > length + 1)
    return `line ${line} column ${column}, the line has ${length} characters`;
  return undefined;
}

/** Accepted exactly when there is no error, and an accepted program has exact, positive shapes. */
function outcomeProblems(analysis: Analysis): string[] {
  const errors = analysis.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0 && analysis.checked) return [`${errors} errors, yet a checked program`];
  if (errors === 0 && !analysis.checked) return ["no error, yet no checked program"];
  const problems: string[] = [];
  for (const model of analysis.checked?.models ?? []) {
    for (const tensor of model.tensors)
      if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 1)) problems.push(`tensor shape [${tensor.shape.join(", ")}]`);
  }
  return problems;
}
