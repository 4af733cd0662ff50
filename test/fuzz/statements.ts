// The top-level statements of a module as TypeScript parses it, so a test can say "this module
// is exactly these classes" and nothing smuggled in beside them.
import ts from "typescript";

/** `class Name` for each class declaration, the statement's syntax kind otherwise; syntax errors too. */
export function topLevelStatements(code: string): string[] {
  const file = ts.createSourceFile("module.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const statements = file.statements.map((s) => (ts.isClassDeclaration(s) ? `class ${s.name?.text}` : ts.SyntaxKind[s.kind]));
  // parseDiagnostics is internal but stable; syntax errors must not hide behind a plausible statement list
  const errors = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return [...statements, ...errors.map((d) => `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)];
}
