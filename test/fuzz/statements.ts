// The top-level statements of a module as TypeScript parses it, so a test can say "this module
// is exactly these classes" and nothing smuggled in beside them.
import ts from "typescript";

/** `class Name` and `const name` for declarations, the statement's syntax kind otherwise; syntax errors too. */
export function topLevelStatements(code: string): string[] {
  const file = ts.createSourceFile("module.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const statements = file.statements.map(describe);
  // parseDiagnostics is internal but stable; syntax errors must not hide behind a plausible statement list
  const errors = (file as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return [...statements, ...errors.map((d) => `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)];
}

function describe(statement: ts.Statement): string {
  if (ts.isClassDeclaration(statement)) return `class ${statement.name?.text}`;
  if (!ts.isVariableStatement(statement)) return ts.SyntaxKind[statement.kind] ?? "unknown statement";
  const list = statement.declarationList;
  const keyword = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
  return `${keyword} ${list.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : "{ destructuring }")).join(", ")}`;
}
