// The padded-input copy as a pass. An op's plain window nest tests each tap against the
// tensor's edges (`if (iy < 0 || iy >= h) continue`) and indexes the tensor through the tap's
// row and column consts; `padded` turns it into the tuned form: the tests gone, every access of
// the tensor moved to its zero-bordered copy (the convolution slides over it and never tests a
// border), and the copy into or out of that buffer's interior (`interior`). The bordered
// buffer's border is written once (zeros, at allocation), never again.
import { b } from "../build.js";
import type { Buffer, Expr, Region, Stmt } from "../ir.js";
import { linear, refuse as fail, regionOf, sameRegion, type Linear } from "./tile.js";
import { forEachExpr, forEachStmt, rewrite, someExpr } from "./walk.js";

/** The input's sizes, the border's top and left, and the bordered buffer's width. */
export interface Border {
  readonly h: number; readonly w: number; readonly c: number;
  readonly pt: number; readonly pl: number;
  readonly wp: number;
}

/** Copies the input into the interior of the zero-bordered buffer (forward), or adds the
 *  interior of the bordered gradient back into the input's gradient (backward). */
export function interior(g: Border, plain: Region, bordered: Region, direction: "in" | "out"): Stmt[] {
  return [
    b.for("y", g.h, (y) => [
      b.const("s", b.add(b.base(plain), b.mul(y, g.w * g.c))),
      b.const("d", b.add(b.base(bordered), (g.pt * g.wp + g.pl) * g.c, b.mul(y, g.wp * g.c))),
      b.for("i", g.w * g.c, (i) => {
        const [s, d] = [b.add(b.ref("s"), i), b.add(b.ref("d"), i)];
        return [direction === "in" ? b.store("a", d, b.load("a", s)) : b.store("a", s, b.load("a", d), "+=")];
      }),
    ]),
  ];
}

export interface Padding extends Border {
  /** the tensor the nest reads or adds into, unpadded */
  readonly plain: Region;
  /** its zero-bordered copy, or null when the window never leaves the tensor (the nest has no
   *  tests then; the pass only resolves the row and column consts) */
  readonly bordered: Region | null;
  /** the names of the tap's row and column consts the nest indexes the tensor through */
  readonly row: string;
  readonly col: string;
  /** the copy the pass adds: into the interior before the nest (a read tensor), out of it
   *  after (a gradient added into), or none (the forward pass made the copy already) */
  readonly copy: "in" | "out" | "none";
}

/** The window nest over the bordered buffer. Legal when (checked): every access of `plain` is at
 *  `(row * w + col) * c + e` with e not reading row or col; row and col are read nowhere else
 *  but in the edge tests; and every update the tests guard either adds a product with a factor
 *  loaded from `plain` (0 in the border, so the skipped tap adds 0) or adds into `plain` (whose
 *  border the copy out drops). Refuses edge tests when `bordered` is null. */
export function padded(stmts: readonly Stmt[], p: Padding): Stmt[] {
  const refuse = (why: string): never => fail("padded", why);
  const value = new Map<string, Expr>();
  const isPlain = (buffer: Buffer, index: Expr) => sameRegion(regionOf(buffer, linear(index)), p.plain);
  const reads = (e: Expr, n: string) => someExpr(e, (x) => x.kind === "ref" && x.name === n);
  const coord = (e: Expr) => e.kind === "ref" && (e.name === p.row || e.name === p.col);
  const isEdgeTest = (e: Expr): boolean =>
    e.kind === "binary" && (e.op === "||" ? isEdgeTest(e.left) && isEdgeTest(e.right) : (e.op === "<" || e.op === ">=") && coord(e.left) && e.right.kind === "num");
  // an update the edge tests guarded, now run at a border tap
  const loadsPlain = (e: Expr): boolean => e.kind === "load" && isPlain(e.buffer, e.index);
  const addsZero = (v: Expr) => v.kind === "binary" && v.op === "*" && (loadsPlain(v.left) || loadsPlain(v.right));
  const safe = (list: readonly Stmt[]) =>
    forEachStmt(list, (s) => {
      const update = s.kind === "assign" || s.kind === "store";
      if (!update) return;
      const into = s.kind === "store" && isPlain(s.buffer, s.index);
      if ((s.op === "+=" || s.op === "-=") && (into || addsZero(s.value))) return;
      refuse(`an update at a tap the edge tests skipped that adds more than 0 (${s.kind} ${s.op})`);
    });
  const walk = (list: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    list.forEach((s, k) => {
      if (s.kind === "let" && !s.mutable && (s.name === p.row || s.name === p.col)) {
        const seen = value.get(s.name);
        if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(s.init)) refuse(`two values of ${s.name}`);
        value.set(s.name, s.init);
        return;
      }
      if (s.kind === "if" && s.then.length === 1 && s.then[0]!.kind === "continue" && s.otherwise.length === 0 && isEdgeTest(s.cond)) {
        if (p.bordered === null) refuse(`an edge test in the window of ${p.plain.name}, which has no bordered copy`);
        safe(list.slice(k + 1));
        return;
      }
      if (s.kind === "for" || s.kind === "block") out.push({ ...s, body: walk(s.body) });
      else if (s.kind === "if") out.push({ ...s, then: walk(s.then), otherwise: walk(s.otherwise) });
      else out.push(s);
    });
    return out;
  };
  const to = p.bordered ?? p.plain;
  const [width, top, left] = p.bordered === null ? [p.w, 0, 0] : [p.wp, p.pt, p.pl];
  const index = (e: Expr): Expr => {
    const l = linear(e);
    const coef = (n: string) => [...l.terms.values()].find((t) => t.factor.kind === "ref" && t.factor.name === n)?.coef ?? 0;
    if (coef(p.row) !== p.c * p.w || coef(p.col) !== p.c) refuse(`an index of ${p.plain.name} that is not (${p.row} * ${p.w} + ${p.col}) * ${p.c} + e`);
    const row = value.get(p.row) ?? refuse(`no const ${p.row}`);
    const col = value.get(p.col) ?? refuse(`no const ${p.col}`);
    const rest: Linear = { terms: new Map([...l.terms].filter(([, t]) => !(t.factor.kind === "base" || coord(t.factor)))), constant: l.constant };
    for (const t of rest.terms.values()) if (reads(t.factor, p.row) || reads(t.factor, p.col)) refuse(`an index of ${p.plain.name} reads ${p.row} or ${p.col} other than linearly`);
    const [r, c] = [linear(row), linear(col)];
    return b.add(b.base(to), ...terms(r, p.c * width), ...terms(c, p.c), ...terms(rest, 1), b.num(p.c * width * (r.constant + top) + p.c * (c.constant + left) + rest.constant));
  };
  const nest = rewrite(walk(stmts), {
    expr: (e) => (e.kind === "load" && isPlain(e.buffer, e.index) ? { ...e, index: index(e.index) } : e),
    stmt: (s) => (s.kind === "store" && isPlain(s.buffer, s.index) ? { ...s, index: index(s.index) } : s),
  });
  forEachExpr(nest, (e) => {
    if (coord(e)) refuse(`${(e as { name: string }).name} is read other than in an index of ${p.plain.name}`);
  });
  if (p.bordered === null || p.copy === "none") return nest;
  return p.copy === "in" ? [...interior(p, p.plain, p.bordered, "in"), ...nest] : [...nest, ...interior(p, p.plain, p.bordered, "out")];
}

/** A linear form's terms times `k`, as expressions (its literal left out). */
function terms(l: Linear, k: number): Expr[] {
  return [...l.terms.values()].map((t) => (t.coef * k === 1 ? t.factor : b.mul(t.factor, t.coef * k)));
}
