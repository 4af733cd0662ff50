// Document symbols: each model, with its input, bindings, output and train section.
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import { formatShape } from "../cli/table.js";
import type { ModelDecl, Stmt } from "../syntax/ast.js";
import { tensorNamed } from "./calls.js";
import type { AnalyzedDocument } from "./document.js";

export function documentSymbols(doc: AnalyzedDocument): DocumentSymbol[] {
  return (doc.analysis.program?.models ?? []).map((decl) => ({
    name: decl.name.name,
    kind: SymbolKind.Class,
    range: doc.range(decl.span),
    selectionRange: doc.range(decl.name.span),
    children: decl.stmts.flatMap((stmt) => statementSymbol(doc, decl, stmt)),
  }));
}

function statementSymbol(doc: AnalyzedDocument, decl: ModelDecl, stmt: Stmt): DocumentSymbol[] {
  if (stmt.kind === "train") {
    const keyword = { start: stmt.span.start, end: stmt.span.start + "train".length };
    return [{ name: "train", kind: SymbolKind.Namespace, range: doc.range(stmt.span), selectionRange: doc.range(keyword) }];
  }
  const model = doc.model(decl.name.name);
  const id = model && tensorNamed(decl, model, stmt.name.name);
  const shape = id === undefined ? null : model!.tensors[id]!.shape;
  const detail = shape === null ? undefined : formatShape(shape);
  const kind = stmt.kind === "input" ? SymbolKind.Field : stmt.kind === "output" ? SymbolKind.Event : SymbolKind.Variable;
  const symbol: DocumentSymbol = { name: stmt.name.name, kind, range: doc.range(stmt.span), selectionRange: doc.range(stmt.name.span) };
  return [detail === undefined ? symbol : { ...symbol, detail }];
}
