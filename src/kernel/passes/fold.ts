// Constant folding, once over the whole tree. Integer index arithmetic is put in one canonical
// form (the variable terms in order, then one literal: `oy * 32 + ox + 194006`), literals are
// combined, and a `const` bound to a literal is substituted into its uses and dropped. Sums of
// floats are never reassociated (that would change their rounding); a literal operation on two
// literals is evaluated here exactly as it would be at run time.
import type { Expr, Stmt } from "../ir.js";
import { mapExprs } from "./walk.js";

interface Scope {
  /** names holding integers (loop variables, index locals, integer parameters) */
  readonly ints: Set<string>;
  /** `const` locals bound to a literal, substituted where they are read */
  readonly values: Map<string, number>;
}

/** Folds `kernel`; `ints` names the method parameters known to be integers. */
export function fold(kernel: readonly Stmt[], ints: readonly string[] = []): Stmt[] {
  return foldBlock(kernel, { ints: new Set(ints), values: new Map() });
}

function foldBlock(stmts: readonly Stmt[], outer: Scope): Stmt[] {
  const scope: Scope = { ints: new Set(outer.ints), values: new Map(outer.values) };
  const out: Stmt[] = [];
  for (const s of stmts) {
    const folded = foldStmt(s, scope);
    if (folded) out.push(folded);
  }
  return out;
}

function foldStmt(s: Stmt, scope: Scope): Stmt | null {
  const e = (x: Expr): Expr => foldExpr(x, scope);
  switch (s.kind) {
    case "for": {
      const inner: Scope = { ints: new Set(scope.ints).add(s.v), values: new Map(scope.values) };
      inner.values.delete(s.v);
      return { ...s, body: foldBlock(s.body, inner) };
    }
    case "block":
      return { ...s, body: foldBlock(s.body, scope) };
    case "let": {
      const init = e(s.init);
      if (isInt(init, scope)) scope.ints.add(s.name);
      else scope.ints.delete(s.name);
      scope.values.delete(s.name);
      if (!s.mutable && init.kind === "num") {
        scope.values.set(s.name, init.value);
        return null;
      }
      return { ...s, init };
    }
    case "if":
      return { ...s, cond: e(s.cond), then: foldBlock(s.then, scope), otherwise: foldBlock(s.otherwise, scope) };
    default:
      return mapExprs(s, e);
  }
}

export function foldExpr(x: Expr, scope: Scope): Expr {
  switch (x.kind) {
    case "ref": {
      const v = scope.values.get(x.name);
      return v === undefined ? x : { kind: "num", value: v };
    }
    case "load":
      return { ...x, index: foldExpr(x.index, scope) };
    case "unary": {
      const operand = foldExpr(x.operand, scope);
      if (x.op === "-" && operand.kind === "num") return { kind: "num", value: -operand.value };
      return { ...x, operand };
    }
    case "math":
    case "call":
      return { ...x, args: x.args.map((a) => foldExpr(a, scope)) };
    case "select":
      return { ...x, cond: foldExpr(x.cond, scope), then: foldExpr(x.then, scope), otherwise: foldExpr(x.otherwise, scope) };
    case "splat":
      return { ...x, value: foldExpr(x.value, scope) };
    case "lane":
    case "hsum":
      return { ...x, vector: foldExpr(x.vector, scope) };
    case "binary": {
      const folded: Expr = { ...x, left: foldExpr(x.left, scope), right: foldExpr(x.right, scope) };
      return (x.op === "+" || x.op === "-" || x.op === "*") && isInt(folded, scope) ? canonicalInt(folded) : literal(folded);
    }
    default:
      return x;
  }
}

/** Whether the expression is an integer: literals, integer names, region bases, index loads,
 *  and + - * of those. */
function isInt(x: Expr, scope: Scope): boolean {
  switch (x.kind) {
    case "num":
      return Number.isSafeInteger(x.value);
    case "ref":
      return scope.ints.has(x.name);
    case "base":
      return true;
    case "load":
      return x.buffer === "ix";
    case "binary":
      return (x.op === "+" || x.op === "-" || x.op === "*") && isInt(x.left, scope) && isInt(x.right, scope);
    default:
      return false;
  }
}

/** An operation on two literals, evaluated as JavaScript would at run time. */
function literal(x: Expr): Expr {
  if (x.kind !== "binary" || x.left.kind !== "num" || x.right.kind !== "num") return x;
  const [l, r] = [x.left.value, x.right.value];
  switch (x.op) {
    case "+": return { kind: "num", value: l + r };
    case "-": return { kind: "num", value: l - r };
    case "*": return { kind: "num", value: l * r };
    case "/": return { kind: "num", value: l / r };
    default: return x;
  }
}

/** One term of an integer sum: coefficient times a non-literal factor (null for a literal). */
interface Term {
  readonly coef: number;
  readonly factor: Expr | null;
}

/** An integer sum in canonical form: products folded, variable terms in order of first
 *  appearance, one literal last. */
function canonicalInt(x: Expr): Expr {
  const terms = linearTerms(x, 1);
  let constant = 0;
  const vars: Term[] = [];
  for (const t of terms) {
    if (t.factor === null) constant += t.coef;
    else if (t.coef !== 0) vars.push(t);
  }
  const parts = vars.map((t) => scaled(t));
  let out: Expr | null = null;
  for (const p of parts) {
    if (out !== null) out = { kind: "binary", op: p.negative ? "-" : "+", left: out, right: p.expr };
    else out = p.negative ? { kind: "unary", op: "-", operand: p.expr } : p.expr;
  }
  if (out === null) return { kind: "num", value: constant };
  if (constant !== 0) out = { kind: "binary", op: constant < 0 ? "-" : "+", left: out, right: { kind: "num", value: Math.abs(constant) } };
  return out;
}

function scaled(t: Term): { expr: Expr; negative: boolean } {
  const factor = t.factor!;
  const k = Math.abs(t.coef);
  const expr: Expr = k === 1 ? factor : { kind: "binary", op: "*", left: factor, right: { kind: "num", value: k } };
  return { expr, negative: t.coef < 0 };
}

/** The sum flattened into coef * factor terms (factors are not sums). */
function linearTerms(x: Expr, k: number): Term[] {
  if (x.kind === "num") return [{ coef: k * x.value, factor: null }];
  if (x.kind === "binary" && x.op === "+") return [...linearTerms(x.left, k), ...linearTerms(x.right, k)];
  if (x.kind === "binary" && x.op === "-") return [...linearTerms(x.left, k), ...linearTerms(x.right, -k)];
  if (x.kind === "binary" && x.op === "*") {
    if (x.right.kind === "num") return linearTerms(x.left, k * x.right.value);
    if (x.left.kind === "num") return linearTerms(x.right, k * x.left.value);
  }
  return [{ coef: k, factor: x }];
}
