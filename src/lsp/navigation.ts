// Go to definition, find references and rename, for tensor names within one model.
import { ResponseError, ErrorCodes, type Location, type WorkspaceEdit } from "vscode-languageserver";
import { keywordTokens } from "../../grammar/lexer.js";
import { analyze } from "../analyze.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renameBreaks, renameKeyword, renameNothingHere, renameNotIdentifier, renameTaken } from "../diagnostics/editor.js";
import type { AnalyzedDocument } from "./document.js";
import { nameAt, sitesOf } from "./names.js";

export function definition(doc: AnalyzedDocument, offset: number): Location | null {
  const site = nameAt(doc.names, offset);
  const target = site && sitesOf(site).definition;
  return target ? { uri: doc.document.uri, range: doc.range(target.span) } : null;
}

export function references(doc: AnalyzedDocument, offset: number, includeDeclaration: boolean): Location[] {
  const site = nameAt(doc.names, offset);
  if (site === undefined) return [];
  return sitesOf(site)
    .all.filter((s) => includeDeclaration || !s.defines)
    .map((s) => ({ uri: doc.document.uri, range: doc.range(s.span) }));
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const keywords = new Set(keywordTokens.map((t) => t.name.toLowerCase()));

export function prepareRename(doc: AnalyzedDocument, offset: number): { range: ReturnType<AnalyzedDocument["range"]>; placeholder: string } | null {
  const site = nameAt(doc.names, offset);
  return site ? { range: doc.range(site.span), placeholder: site.name } : null;
}

/** Every site of the name, renamed; refused when the new name is not a name, is taken, or breaks the program. */
export function rename(doc: AnalyzedDocument, offset: number, newName: string): WorkspaceEdit | ResponseError<void> {
  const site = nameAt(doc.names, offset);
  if (site === undefined) return refuse(renameNothingHere());
  if (!identifier.test(newName)) return refuse(renameNotIdentifier(newName));
  if (keywords.has(newName)) return refuse(renameKeyword(newName));
  const model = site.model.decl.name.name;
  if (newName !== site.name && site.model.sites.some((s) => s.name === newName)) return refuse(renameTaken(newName, model));
  const sites = sitesOf(site).all;
  const edits = sites.map((s) => ({ range: doc.range(s.span), newText: newName }));
  // the checker has the last word: a name can be valid and still clash (a layer named by `as`)
  const renamed = applyRename(doc.text, sites.map((s) => s.span), newName);
  const before = errors(doc.analysis.diagnostics);
  const after = errors(analyze(renamed, doc.analysis.file.path).diagnostics);
  const added = after.find((message) => !before.includes(message));
  if (after.length > before.length) return refuse(renameBreaks(newName, added ?? after[0]!));
  return { changes: { [doc.document.uri]: edits } };
}

function refuse(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}

function errors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
}

function applyRename(text: string, spans: readonly { start: number; end: number }[], name: string): string {
  let result = "";
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    result += text.slice(at, span.start) + name;
    at = span.end;
  }
  return result + text.slice(at);
}
