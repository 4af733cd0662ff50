// One open document and what the front end found in it, computed once per version and shared by
// every request on that version.
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Range } from "vscode-languageserver";
import { analyze, type Analysis } from "../analyze.js";
import { summarize, type ModelSummary } from "../cli/summary.js";
import type { Span } from "../source/span.js";
import { indexNames, type ModelNames } from "./names.js";
import { checkedView, draftView, type ModelView } from "./view.js";

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

  /** The model named `name`: checked when the file has no error, else as far as the checker got. */
  model(name: string): ModelView | undefined {
    const models = this.analysis.checked?.models ?? [];
    const index = models.findIndex((m) => m.name === name);
    if (index >= 0) return checkedView(models[index]!, this.summaries[index]!);
    const draft = this.analysis.drafts?.find((d) => d.name === name);
    return draft && draftView(draft);
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
