// Under `noUncheckedIndexedAccess` a read from a typed array has type `number | undefined`, so a
// user's strict project would reject every kernel. Each index into the arena is computed by the
// compiler and lies inside the memory plan, so the module says so: a `!` after each arena read.
// A pass over the module's syntax tree (not its text), run once before prettier, so every
// kernel gets it whatever wrote the kernel.
import { ts } from "ts-morph";

/** The arena and the index arena, as the emitted methods name them (`const a = this.a;`,
 *  `const arg = this.ix;`). */
const arenas = new Set(["a", "arg", "this.a", "this.ix"]);

export function assertArenaReads(text: string): string {
  const file = ts.createSourceFile("model.ts", text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const ends: number[] = [];
  const visit = (node: ts.Node, parent: ts.Node | undefined): void => {
    if (ts.isElementAccessExpression(node) && arenas.has(node.expression.getText(file)) && needsAssertion(node, parent)) {
      ends.push(node.getEnd());
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  visit(file, undefined);
  // forEachChild visits in source order, but a nested access ends before the one holding it
  ends.sort((x, y) => x - y);
  const parts: string[] = [];
  let at = 0;
  for (const end of ends) {
    parts.push(text.slice(at, end), "!");
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

// A plain store (`a[i] = v`) is typed `number` already and an asserted one is done; every other
// use reads the element: an operand, `a[i] += v`, `a[i]++`.
function needsAssertion(node: ts.ElementAccessExpression, parent: ts.Node | undefined): boolean {
  if (parent === undefined || ts.isNonNullExpression(parent)) return false;
  const store = ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  return !store;
}
