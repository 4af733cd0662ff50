// One open document and what the front end found in it, computed once per version and shared by
// every request on that version.
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Range } from "vscode-languageserver";
import { analyze, type Analysis } from "../analyze.js";
import type { CheckedModel } from "../check/types.js";
import { summarize, type ModelSummary } from "../cli/summary.js";
import type { Span } from "../syntax/span.js";
import { indexNames, type ModelNames } from "./names.js";

export class AnalyzedDocument {
  readonly analysis: Analysis;
  readonly names: readonly ModelNames[];
  /** per checked model: the same per-layer params and FLOPs `cnnc check` prints */
  readonly summaries: readonly ModelSummary[];

  /** the version analysed: the document object itself moves on with each change */
  readonly version: number;

  constructor(readonly document: TextDocument) {
    this.version = document.version;
    this.analysis = analyze(document.getText(), displayPath(document.uri));
    this.names = indexNames(this.analysis.program);
    this.summaries = this.analysis.checked ? summarize(this.analysis.checked, this.analysis.file) : [];
  }

  get text(): string {
    return this.analysis.file.text;
  }

  range(span: Span): Range {
    return { start: this.document.positionAt(span.start), end: this.document.positionAt(span.end) };
  }

  /** The checked model and its summary for a model declaration, when the program has no error. */
  checkedModel(name: string): { model: CheckedModel; summary: ModelSummary } | undefined {
    const models = this.analysis.checked?.models ?? [];
    const index = models.findIndex((m) => m.name === name);
    return index < 0 ? undefined : { model: models[index]!, summary: this.summaries[index]! };
  }
}

/** Diagnostics name the file as the CLI would: a file URI as its path. */
export function displayPath(uri: string): string {
  if (!uri.startsWith("file://")) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}
