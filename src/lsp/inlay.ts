// Inlay hints: each binding's inferred shape at the end of its pipeline, unless the binding
// already states it (`logits: [10] = ...`). In a file with errors, the shapes the checker could
// still work out.
import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver";
import { formatShape } from "../cli/table.js";
import { tensorNamed } from "./calls.js";
import type { AnalyzedDocument } from "./document.js";

export function inlayHints(doc: AnalyzedDocument, range: Range): InlayHint[] {
  const from = doc.document.offsetAt(range.start);
  const to = doc.document.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const decl of doc.analysis.program?.models ?? []) {
    const model = doc.model(decl.name.name);
    if (model === undefined) continue;
    for (const stmt of decl.stmts) {
      if ((stmt.kind !== "binding" && stmt.kind !== "output") || stmt.pipeline === undefined || stmt.shape !== undefined) continue;
      const end = stmt.pipeline.span.end;
      const id = tensorNamed(decl, model, stmt.name.name);
      const shape = id === undefined ? null : model.tensors[id]!.shape;
      if (shape === null || end < from || end > to) continue;
      const label = `: ${formatShape(shape)}`;
      hints.push({ position: doc.document.positionAt(end), label, kind: InlayHintKind.Type, paddingLeft: false });
    }
  }
  return hints;
}
