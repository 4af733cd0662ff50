// Inlay hints: each binding's inferred shape at the end of its pipeline, unless the binding
// already states it (`logits: [10] = ...`). Only for a file that checks: shapes need the checker.
import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver";
import { formatShape } from "../cli/table.js";
import { tensorNamed } from "./calls.js";
import type { AnalyzedDocument } from "./document.js";

export function inlayHints(doc: AnalyzedDocument, range: Range): InlayHint[] {
  const from = doc.document.offsetAt(range.start);
  const to = doc.document.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const decl of doc.analysis.program?.models ?? []) {
    const checked = doc.checkedModel(decl.name.name);
    if (checked === undefined) continue;
    for (const stmt of decl.stmts) {
      if ((stmt.kind !== "binding" && stmt.kind !== "output") || stmt.pipeline === undefined || stmt.shape !== undefined) continue;
      const end = stmt.pipeline.span.end;
      const id = tensorNamed(decl, checked.model, stmt.name.name);
      if (id === undefined || end < from || end > to) continue;
      const label = `: ${formatShape(checked.model.tensors[id]!.shape)}`;
      hints.push({ position: doc.document.positionAt(end), label, kind: InlayHintKind.Type, paddingLeft: false });
    }
  }
  return hints;
}
