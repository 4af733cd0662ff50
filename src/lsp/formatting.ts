// Document formatting: `cnnc fmt`'s layout as one edit over the whole document, or no edit when
// the document is already formatted or has syntax errors (those are already shown as diagnostics).
import type { TextEdit } from "vscode-languageserver";
import { formatSource } from "../fmt/format.js";
import type { AnalyzedDocument } from "./document.js";

export function formattingEdits(doc: AnalyzedDocument): TextEdit[] {
  const formatted = formatSource(doc.text).text;
  if (formatted === undefined || formatted === doc.text) return [];
  return [{ range: doc.range({ start: 0, end: doc.text.length }), newText: formatted }];
}
