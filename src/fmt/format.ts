// `cnnc fmt`: a source file in the one canonical layout, or its syntax errors (a file that does
// not parse is never reformatted, so nothing in it can be lost).
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../syntax/parse.js";
import { SourceFile } from "../source/span.js";
import { sourceItems } from "./items.js";
import { layout } from "./layout.js";

export interface FormatResult {
  readonly file: SourceFile;
  /** the formatted source; absent when the source has syntax errors */
  readonly text?: string;
  /** the syntax errors that stopped formatting */
  readonly diagnostics: readonly Diagnostic[];
}

export function formatSource(source: string, path = "<input>"): FormatResult {
  const file = new SourceFile(path, source);
  const parsed = parse(file);
  if (parsed.program === undefined || hasErrors(parsed.diagnostics)) return { file, diagnostics: parsed.diagnostics };
  return { file, text: layout(sourceItems(source)), diagnostics: [] };
}
