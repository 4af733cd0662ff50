// The TypeScript printer: a kernel tree to statements over the arena `a` (the instance's
// `this.a`) and the index arena `arg` (`this.ix`). Parentheses follow JavaScript's precedence
// exactly, so the printed code evaluates the tree's operations in the tree's order (a float sum
// is never regrouped); prettier lays the result out afterwards.
import type { Buffer, Expr, Stmt } from "../ir.js";
import { forEachExpr, forEachStmt } from "../passes/walk.js";

/** A number as a literal that round-trips exactly. */
export function literal(x: number): string {
  if (Number.isNaN(x)) throw new Error("internal: NaN literal in a kernel");
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return Object.is(x, -0) ? "0" : String(x);
}

/** Characters that end a line in JavaScript source. */
const LINE_ENDS = "\n\r\u2028\u2029";

const PRECEDENCE: Record<string, number> = {
  "||": 3, "&&": 4, "|": 5, "^": 6, "===": 8, "!==": 8, "<": 9, "<=": 9, ">": 9, ">=": 9,
  "<<": 10, ">>>": 10, "+": 11, "-": 11, "*": 12, "/": 12,
};
const UNARY = 14;
const CONDITIONAL = 2;
const ATOM = 20;

function precedence(x: Expr): number {
  switch (x.kind) {
    case "binary":
      return PRECEDENCE[x.op]!;
    case "unary":
      return UNARY;
    case "select":
      return CONDITIONAL;
    case "num":
      return x.value < 0 || Object.is(x.value, -0) ? UNARY : ATOM;
    default:
      return ATOM;
  }
}

function buffer(b: Buffer): string {
  if (b === "a") return "a";
  if (b === "ix") return "arg";
  return b.arg;
}

export function expr(x: Expr): string {
  switch (x.kind) {
    case "num":
      return literal(x.value);
    case "ref":
      return x.name;
    case "base":
      return x.region.name;
    case "field":
      return `this.${x.name}`;
    case "load":
      if (x.lanes !== 1) throw new Error("internal: the TypeScript printer has no vector lanes");
      // Every index is the compiler's and lies inside its buffer, so a read is asserted to be a
      // number: under `noUncheckedIndexedAccess` a typed array's element is `number | undefined`.
      return `${buffer(x.buffer)}[${expr(x.index)}]!`;
    case "binary": {
      const p = PRECEDENCE[x.op]!;
      // Left-associative: a right operand of the same precedence keeps its parentheses, so
      // `a + (b + c)` is printed as it was built.
      return `${wrap(x.left, precedence(x.left) < p)} ${x.op} ${wrap(x.right, precedence(x.right) <= p)}`;
    }
    case "unary": {
      const inner = expr(x.operand);
      return `${x.op}${precedence(x.operand) < UNARY || inner.startsWith("-") ? `(${inner})` : inner}`;
    }
    case "math":
      return `Math.${x.fn}(${x.args.map(expr).join(", ")})`;
    case "call":
      return `${x.fn}(${x.args.map(expr).join(", ")})`;
    case "select":
      return `${wrap(x.cond, precedence(x.cond) <= CONDITIONAL)} ? ${wrap(x.then, precedence(x.then) < CONDITIONAL)} : ${wrap(x.otherwise, precedence(x.otherwise) < CONDITIONAL)}`;
    case "splat":
    case "lane":
    case "hsum":
      throw new Error("internal: the TypeScript printer has no vector lanes");
  }
}

const wrap = (x: Expr, paren: boolean): string => (paren ? `(${expr(x)})` : expr(x));

export function stmts(list: readonly Stmt[]): string {
  return list.map(stmt).join("\n");
}

function stmt(s: Stmt): string {
  switch (s.kind) {
    case "for": {
      const step = s.step === 1 ? `${s.v}++` : `${s.v} += ${literal(s.step)}`;
      return `for (let ${s.v} = ${literal(s.start)}; ${s.v} < ${literal(s.end)}; ${step}) {\n${stmts(s.body)}\n}`;
    }
    case "block":
      return `{\n${stmts(s.body)}\n}`;
    case "let":
      return `${s.mutable ? "let" : "const"} ${s.name} = ${expr(s.init)};`;
    case "assign":
      return `${s.name} ${s.op} ${expr(s.value)};`;
    case "setField":
      return `this.${s.name} = ${expr(s.value)};`;
    case "store":
      if (s.lanes !== 1) throw new Error("internal: the TypeScript printer has no vector lanes");
      // a compound store reads the element too (see the load above)
      return `${buffer(s.buffer)}[${expr(s.index)}]${s.op === "=" ? "" : "!"} ${s.op} ${expr(s.value)};`;
    case "if": {
      const then = `if (${expr(s.cond)}) {\n${stmts(s.then)}\n}`;
      return s.otherwise.length === 0 ? then : `${then} else {\n${stmts(s.otherwise)}\n}`;
    }
    case "continue":
      return "continue;";
    case "return":
      return s.value === null ? "return;" : `return ${expr(s.value)};`;
    case "invoke":
      return `this.${s.method}(${s.args.map(expr).join(", ")});`;
    case "comment":
      if ([...s.text].some((c) => LINE_ENDS.includes(c))) throw new Error("internal: a kernel comment spans lines");
      return `// ${s.text}`;
  }
}

/** The locals a method body needs to reach the instance's buffers, for the buffers it uses. */
export function prologue(list: readonly Stmt[]): string {
  let arena = false;
  let index = false;
  const note = (b: Buffer): void => {
    if (b === "a") arena = true;
    if (b === "ix") index = true;
  };
  forEachExpr(list, (e) => {
    if (e.kind === "load") note(e.buffer);
  });
  forEachStmt(list, (s) => {
    if (s.kind === "store") note(s.buffer);
  });
  return [arena ? "const a = this.a;" : "", index ? "const arg = this.ix;" : ""].filter(Boolean).join(" ");
}
