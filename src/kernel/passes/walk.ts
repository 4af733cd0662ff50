// Generic traversals of kernel trees, so each pass states only the nodes it changes.
import type { Expr, Stmt } from "../ir.js";

/** The statement with `f` applied to each expression it holds directly (not to nested
 *  statements: structured statements are the caller's to recurse into). */
export function mapExprs(s: Stmt, f: (e: Expr) => Expr): Stmt {
  switch (s.kind) {
    case "let":
      return { ...s, init: f(s.init) };
    case "assign":
    case "setField":
      return { ...s, value: f(s.value) };
    case "store":
      return { ...s, index: f(s.index), value: f(s.value) };
    case "if":
      return { ...s, cond: f(s.cond) };
    case "return":
      return s.value === null ? s : { ...s, value: f(s.value) };
    case "invoke":
      return { ...s, args: s.args.map(f) };
    default:
      return s;
  }
}

/** Rebuilds an expression bottom-up, applying `f` to every node after its children. */
export function rewriteExpr(x: Expr, f: (e: Expr) => Expr): Expr {
  const r = (e: Expr): Expr => rewriteExpr(e, f);
  switch (x.kind) {
    case "load":
      return f({ ...x, index: r(x.index) });
    case "binary":
      return f({ ...x, left: r(x.left), right: r(x.right) });
    case "unary":
      return f({ ...x, operand: r(x.operand) });
    case "math":
    case "call":
      return f({ ...x, args: x.args.map(r) });
    case "select":
      return f({ ...x, cond: r(x.cond), then: r(x.then), otherwise: r(x.otherwise) });
    case "splat":
      return f({ ...x, value: r(x.value) });
    case "lane":
    case "hsum":
      return f({ ...x, vector: r(x.vector) });
    default:
      return f(x);
  }
}

/** The expressions `x` holds directly. */
export function children(x: Expr): readonly Expr[] {
  switch (x.kind) {
    case "load":
      return [x.index];
    case "binary":
      return [x.left, x.right];
    case "unary":
      return [x.operand];
    case "math":
    case "call":
      return x.args;
    case "select":
      return [x.cond, x.then, x.otherwise];
    case "splat":
      return [x.value];
    case "lane":
    case "hsum":
      return [x.vector];
    default:
      return [];
  }
}

/** Whether `x` or an expression inside it passes `test`. */
export function someExpr(x: Expr, test: (e: Expr) => boolean): boolean {
  return test(x) || children(x).some((c) => someExpr(c, test));
}

/** Rebuilds statements, applying `expr` to every expression and `stmt` to every statement
 *  (after its children); `stmt` may return several statements or none. */
export function rewrite(stmts: readonly Stmt[], pass: { expr?: (e: Expr) => Expr; stmt?: (s: Stmt) => Stmt | readonly Stmt[] }): Stmt[] {
  const e = pass.expr ? (x: Expr) => rewriteExpr(x, pass.expr!) : (x: Expr) => x;
  const one = (s: Stmt): readonly Stmt[] => {
    let t: Stmt;
    switch (s.kind) {
      case "for":
      case "block":
        t = { ...s, body: rewrite(s.body, pass) };
        break;
      case "if":
        t = { ...s, cond: e(s.cond), then: rewrite(s.then, pass), otherwise: rewrite(s.otherwise, pass) };
        break;
      default:
        t = mapExprs(s, e);
    }
    const out = pass.stmt ? pass.stmt(t) : t;
    return Array.isArray(out) ? out : [out as Stmt];
  };
  return stmts.flatMap(one);
}

/** Every expression in the tree, depth first. */
export function forEachExpr(stmts: readonly Stmt[], f: (e: Expr) => void): void {
  rewrite(stmts, { expr: (e) => (f(e), e) });
}

/** Every statement in the tree, depth first. */
export function forEachStmt(stmts: readonly Stmt[], f: (s: Stmt) => void): void {
  rewrite(stmts, { stmt: (s) => (f(s), s) });
}

/** The statements with every read of `name` replaced by `value`. Kernels never shadow a name,
 *  so no scope needs tracking. */
export function replaceRef(stmts: readonly Stmt[], name: string, value: Expr): Stmt[] {
  return rewrite(stmts, { expr: (e) => (e.kind === "ref" && e.name === name ? value : e) });
}
