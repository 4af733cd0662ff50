// The front end's diagnostics as LSP diagnostics: the CLI's codes, messages and ranges; located
// notes as related information, span-less notes and help after the message, as the CLI prints them.
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { AnalyzedDocument } from "./document.js";

export function lspDiagnostics(doc: AnalyzedDocument): LspDiagnostic[] {
  return doc.analysis.diagnostics.map((d) => toLsp(d, doc));
}

function toLsp(d: Diagnostic, doc: AnalyzedDocument): LspDiagnostic {
  const uri = doc.document.uri;
  const extra = [
    ...d.notes.filter((n) => n.span === undefined).map((n) => `note: ${n.message}`),
    ...(d.help === undefined ? [] : [`help: ${d.help}`]),
  ];
  const related = d.notes.flatMap((n) => (n.span ? [{ location: { uri, range: doc.range(n.span) }, message: n.message }] : []));
  return {
    range: doc.range(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "cnnc",
    message: [d.message, ...extra].join("\n"),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}
