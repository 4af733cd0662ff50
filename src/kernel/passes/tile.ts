// Register tiling as passes over plain loop nests. An op writes its loops once, plainly (the
// readable build prints them as they are); its tuned TypeScript schedule names which loop to
// block, by what width and under which local names, and these passes do the rewriting:
//   stripMine      for j < n        ->  for j0 step w { for jj < w }  + one remainder block
//   unrollAndJam   for jj < w { pre; for i { body }; post }
//                                  ->  pre x w; for i { body x w }; post x w  (locals renamed)
//   hoist          a value repeated in a loop body -> one const at the body's top
//   hoistIndexBase loads of one region at indices differing by literals -> base const + literal
//   skipWhenZero   a loop body that only adds multiples of v -> `if (v === 0) continue` first
// Each checks its legality condition (documented on it) and refuses with an internal error
// when the tree does not meet it: a refusal is a bug in the op's schedule, never a user error.
//
// The memory model the dependence tests rely on (the contract of b.at / b.put): an index
// `base(R) + e` stays inside region R, and regions of one buffer that do not overlap by offset
// and size are disjoint. Two accesses are proved independent when they are in different
// buffers, in non-overlapping regions, or at indices with the same symbolic part whose literal
// parts, over the ranges of the loops between them, are disjoint intervals.
import { b } from "../build.js";
import type { Buffer, Expr, Region, Stmt } from "../ir.js";
import { forEachExpr, forEachStmt, replaceRef, rewrite, someExpr } from "./walk.js";

export type For = Extract<Stmt, { kind: "for" }>;

function refuse(pass: string, why: string): never {
  throw new Error(`internal: ${pass}: ${why}`);
}

/** `stmts` with every loop over `v` replaced by `f(loop)`; refuses when there is none (the
 *  schedule names a loop the nest does not have). */
export function atLoop(stmts: readonly Stmt[], v: string, f: (loop: For) => Stmt | readonly Stmt[]): Stmt[] {
  let found = 0;
  const out = rewrite(stmts, { stmt: (s) => (s.kind === "for" && s.v === v ? (found++, f(s)) : s) });
  if (found === 0) refuse("schedule", `no loop over ${v}`);
  return out;
}

export interface StripMine {
  /** iterations per strip */
  readonly width: number;
  /** the variable of the loop over strips (its first iteration's value) */
  readonly outer: string;
  /** the variable of the loop inside a strip (0 .. width - 1) */
  readonly inner: string;
}

/** Strip-mining: the loop over [start, end) becomes a loop over whole strips of `width` (or one
 *  block when there is a single strip), each an inner loop over the strip, then one block with
 *  the remainder's narrower inner loop. The iterations run in the same order, so it is always
 *  legal; it refuses a step other than 1 and new names the body already uses. */
export function stripMine(loop: For, s: StripMine): Stmt[] {
  const pass = "stripMine";
  if (loop.step !== 1) refuse(pass, `loop over ${loop.v} has step ${loop.step}`);
  if (!Number.isInteger(s.width) || s.width < 1) refuse(pass, `width ${s.width}`);
  const used = names(loop.body);
  for (const n of [s.outer, s.inner]) if (used.has(n) || n === loop.v) refuse(pass, `name ${n} is taken in the loop over ${loop.v}`);
  const count = loop.end - loop.start;
  const full = Math.floor(count / s.width);
  const rest = count % s.width;
  const strip = (from: Expr, size: number): For => ({
    kind: "for", v: s.inner, start: 0, end: size, step: 1, body: replaceRef(loop.body, loop.v, b.add(from, b.ref(s.inner))),
  });
  const parts: Stmt[] = [];
  if (full === 1) parts.push(b.block(strip(b.num(loop.start), s.width)));
  else if (full > 1) parts.push({ kind: "for", v: s.outer, start: loop.start, end: loop.start + full * s.width, step: s.width, body: [strip(b.ref(s.outer), s.width)] });
  if (rest > 0) parts.push(b.block(strip(b.num(loop.start + full * s.width), rest)));
  return parts;
}

/** Unroll-and-jam: the loop `for v { pre; for i { body }; post }` is unrolled completely and
 *  its copies fused: every copy's `pre`, one loop over i whose body is every copy's `body` in
 *  order, then every copy's `post`. Each copy's locals are renamed by `rename(name, copy)`.
 *  Legal when (checked): the body holds exactly one loop at its top level and none elsewhere
 *  outside it; it has no continue, return, invoke or setField (which would act across copies);
 *  it assigns no name declared outside it; and every store of one copy is independent of every
 *  access of another (the memory model above), since the fused order interleaves copies that
 *  ran one after another. */
export function unrollAndJam(loop: For, rename: (name: string, copy: number) => string = (n, q) => `${n}${q}`): Stmt[] {
  const pass = "unrollAndJam";
  const at = loop.body.flatMap((s, k) => (s.kind === "for" ? [k] : []));
  if (at.length !== 1) refuse(pass, `the loop over ${loop.v} holds ${at.length} loops at its top level, not one`);
  const k = at[0]!;
  const [pre, post] = [loop.body.slice(0, k), loop.body.slice(k + 1)];
  forEachStmt([...pre, ...post], (s) => {
    if (s.kind === "for") refuse(pass, `a loop over ${s.v} outside the jammed loop`);
  });
  forEachStmt(loop.body, (s) => {
    if (s.kind === "continue" || s.kind === "return" || s.kind === "invoke" || s.kind === "setField") refuse(pass, `a ${s.kind} in the loop over ${loop.v}`);
  });
  const local = declared(loop.body);
  forEachStmt(loop.body, (s) => {
    if (s.kind === "assign" && !local.has(s.name)) refuse(pass, `the loop over ${loop.v} assigns ${s.name}, declared outside it`);
  });
  const copies: Stmt[][] = [];
  for (let v = loop.start, q = 0; v < loop.end; v += loop.step, q++) copies.push(renamed(replaceRef(loop.body, loop.v, b.num(v)), local, (n) => rename(n, q)));
  const ranges = loopRanges(loop.body);
  const accesses = copies.map((c) => accessesOf(c));
  for (let q = 0; q < copies.length; q++)
    for (let r = 0; r < copies.length; r++) {
      if (q === r) continue;
      for (const w of accesses[q]!.filter((a) => a.write))
        for (const a of accesses[r]!) if (!independent(w, a, ranges)) refuse(pass, `copies ${q} and ${r} of the loop over ${loop.v} may touch the same element`);
    }
  const inner = loop.body[k] as For;
  return [
    ...copies.flatMap((c) => c.slice(0, k)),
    { ...inner, body: copies.flatMap((c) => (c[k] as For).body) },
    ...copies.flatMap((c) => c.slice(k + 1)),
  ];
}

/** Hoisting: every occurrence of `value` in the loop's body is read from `const name = value`,
 *  declared first in the body. Legal when (checked) `value` occurs, calls nothing, reads no
 *  name declared or assigned in the body (the loop's own variable is constant within one
 *  iteration), reads no field the body sets, and loads nothing a store in the body may write;
 *  `name` must be new to the body. */
export function hoist(loop: For, name: string, value: Expr): For {
  const pass = "hoist";
  const key = JSON.stringify(value);
  let count = 0;
  const body = rewrite(loop.body, { expr: (e) => (JSON.stringify(e) === key ? (count++, b.ref(name)) : e) });
  if (count === 0) refuse(pass, `the loop over ${loop.v} does not read ${key}`);
  if (names(loop.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${loop.v}`);
  if (someExpr(value, (e) => e.kind === "call")) refuse(pass, "a call is not hoisted");
  invariant(pass, loop, value);
  const stores = accessesOf(loop.body).filter((a) => a.write);
  const loads: Access[] = [];
  forEachExpr([b.return(value)], (e) => {
    if (e.kind === "load") loads.push({ buffer: e.buffer, index: e.index, write: false });
  });
  for (const l of loads) for (const s of stores) if (!independent(s, l, new Map())) refuse(pass, `the loop over ${loop.v} may store where ${key} loads`);
  return { ...loop, body: [b.const(name, value), ...body] };
}

/** Hoisting an index base: the loads of `region` in the loop's body, whose indices must share
 *  one symbolic part and differ only by literals, are read at `name + literal`, with `const name`
 *  (the symbolic part plus the smallest literal) declared first in the body. Legal when
 *  (checked) there is such a load, the symbolic parts agree, and they read no name declared or
 *  assigned in the body. Only index arithmetic moves, so stores do not matter. */
export function hoistIndexBase(loop: For, name: string, region: Region): For {
  const pass = "hoistIndexBase";
  if (names(loop.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${loop.v}`);
  const forms: Linear[] = [];
  forEachExpr(loop.body, (e) => {
    if (e.kind === "load" && sameRegion(regionOf(e.buffer, linear(e.index)), region)) forms.push(linear(e.index));
  });
  if (forms.length === 0) refuse(pass, `the loop over ${loop.v} loads nothing of ${region.name}`);
  const sym = forms[0]!.terms;
  if (!forms.every((f) => sameTerms(f.terms, sym))) refuse(pass, `the loads of ${region.name} do not share one symbolic index`);
  const least = Math.min(...forms.map((f) => f.constant));
  const baseExpr = b.add(...[...sym.values()].map((t) => (t.coef === 1 ? t.factor : b.mul(t.factor, t.coef))), ...(least === 0 ? [] : [least]));
  invariant(pass, loop, baseExpr);
  const body = rewrite(loop.body, {
    expr: (e) => {
      if (e.kind !== "load" || !sameRegion(regionOf(e.buffer, linear(e.index)), region)) return e;
      return { ...e, index: b.add(b.ref(name), linear(e.index).constant - least) };
    },
  });
  return { ...loop, body: [b.const(name, baseExpr), ...body] };
}

/** The zero skip: `if (name === 0) continue;` right after `const name` at the body's top level.
 *  Legal when (checked) every statement after it is a const of a call-free value or adds or
 *  subtracts `name * e` (or `e * name`, e call-free) to a local declared outside the loop: a
 *  skipped iteration would only have added 0 * e, which is ±0 for a finite e. That e is finite
 *  (the layer's weights) is the op's decision, as is that a sum's sign of zero may differ. */
export function skipWhenZero(loop: For, name: string): For {
  const pass = "skipWhenZero";
  const k = loop.body.findIndex((s) => s.kind === "let" && s.name === name && !s.mutable);
  if (k < 0) refuse(pass, `the loop over ${loop.v} declares no const ${name} at its top level`);
  const local = declared(loop.body);
  const pure = (e: Expr) => !someExpr(e, (x) => x.kind === "call");
  const isName = (e: Expr) => e.kind === "ref" && e.name === name;
  for (const s of loop.body.slice(k + 1)) {
    const ok =
      (s.kind === "let" && !s.mutable && pure(s.init)) ||
      (s.kind === "assign" && (s.op === "+=" || s.op === "-=") && !local.has(s.name) && s.value.kind === "binary" && s.value.op === "*" &&
        (isName(s.value.left) || isName(s.value.right)) && pure(s.value));
    if (!ok) refuse(pass, `a ${s.kind} in the loop over ${loop.v} that is not a multiple of ${name} added to a sum`);
  }
  const skip = b.if(b.eq(b.ref(name), 0), [b.continue()]);
  return { ...loop, body: [...loop.body.slice(0, k + 1), skip, ...loop.body.slice(k + 1)] };
}

/** Refuses a value that reads a name declared or assigned in the loop's body, or a field it
 *  sets. */
function invariant(pass: string, loop: For, value: Expr): void {
  const changing = declared(loop.body);
  let fields = false;
  forEachStmt(loop.body, (s) => {
    if (s.kind === "assign") changing.add(s.name);
    if (s.kind === "setField") fields = true;
  });
  forEachExpr([b.return(value)], (e) => {
    if (e.kind === "ref" && changing.has(e.name)) refuse(pass, `${e.name} changes in the loop over ${loop.v}`);
    if (e.kind === "field" && fields) refuse(pass, `this.${e.name} may change in the loop over ${loop.v}`);
  });
}

/** Names declared in the statements (locals and loop variables), at any depth. */
function declared(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  forEachStmt(stmts, (s) => {
    if (s.kind === "let") out.add(s.name);
    if (s.kind === "for") out.add(s.v);
  });
  return out;
}

/** Every name the statements declare, assign or read. */
function names(stmts: readonly Stmt[]): Set<string> {
  const out = declared(stmts);
  forEachStmt(stmts, (s) => {
    if (s.kind === "assign") out.add(s.name);
  });
  forEachExpr(stmts, (e) => {
    if (e.kind === "ref") out.add(e.name);
  });
  return out;
}

/** The statements with the locals in `local` (not loop variables) renamed. */
function renamed(stmts: readonly Stmt[], local: Set<string>, to: (name: string) => string): Stmt[] {
  const loopVars = new Set<string>();
  forEachStmt(stmts, (s) => {
    if (s.kind === "for") loopVars.add(s.v);
  });
  const change = (n: string) => local.has(n) && !loopVars.has(n);
  return rewrite(stmts, {
    expr: (e) => (e.kind === "ref" && change(e.name) ? b.ref(to(e.name)) : e),
    stmt: (s) => ((s.kind === "let" || s.kind === "assign") && change(s.name) ? { ...s, name: to(s.name) } : s),
  });
}

/** The [lowest, highest] value of every loop variable declared in the statements. */
function loopRanges(stmts: readonly Stmt[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  forEachStmt(stmts, (s) => {
    if (s.kind === "for" && s.end > s.start) out.set(s.v, [s.start, s.start + Math.floor((s.end - 1 - s.start) / s.step) * s.step]);
  });
  return out;
}

interface Access {
  readonly buffer: Buffer;
  readonly index: Expr;
  readonly write: boolean;
}

/** Every load and store in the statements. */
function accessesOf(stmts: readonly Stmt[]): Access[] {
  const out: Access[] = [];
  forEachStmt(stmts, (s) => {
    if (s.kind === "store") out.push({ buffer: s.buffer, index: s.index, write: true });
  });
  forEachExpr(stmts, (e) => {
    if (e.kind === "load") out.push({ buffer: e.buffer, index: e.index, write: false });
  });
  return out;
}

const bufferKey = (x: Buffer): string => (typeof x === "string" ? x : `arg:${x.arg}`);

/** Whether two accesses provably touch different elements (the memory model above); `ranges`
 *  are the loops whose variables may differ between them. */
function independent(x: Access, y: Access, ranges: Map<string, [number, number]>): boolean {
  if (bufferKey(x.buffer) !== bufferKey(y.buffer)) return true;
  const [lx, ly] = [linear(x.index), linear(y.index)];
  const [rx, ry] = [regionOf(x.buffer, lx), regionOf(y.buffer, ly)];
  if (rx && ry && (rx.offset + rx.size <= ry.offset || ry.offset + ry.size <= rx.offset)) return true;
  const [sx, sy] = [symbolic(lx, ranges), symbolic(ly, ranges)];
  if (!sameTerms(sx, sy)) return false;
  const [ix, iy] = [interval(lx, ranges), interval(ly, ranges)];
  return ix[1] < iy[0] || iy[1] < ix[0];
}

/** An index as coef * factor terms (keyed by the factor's tree) plus a literal. */
interface Linear {
  readonly terms: Map<string, { readonly coef: number; readonly factor: Expr }>;
  readonly constant: number;
}

function linear(x: Expr): Linear {
  const terms = new Map<string, { coef: number; factor: Expr }>();
  let constant = 0;
  const walk = (e: Expr, k: number): void => {
    if (e.kind === "num") constant += k * e.value;
    else if (e.kind === "binary" && e.op === "+") (walk(e.left, k), walk(e.right, k));
    else if (e.kind === "binary" && e.op === "-") (walk(e.left, k), walk(e.right, -k));
    else if (e.kind === "binary" && e.op === "*" && e.right.kind === "num") walk(e.left, k * e.right.value);
    else if (e.kind === "binary" && e.op === "*" && e.left.kind === "num") walk(e.right, k * e.left.value);
    else {
      const key = JSON.stringify(e);
      const t = terms.get(key);
      terms.set(key, { coef: (t?.coef ?? 0) + k, factor: e });
    }
  };
  walk(x, 1);
  for (const [key, t] of terms) if (t.coef === 0) terms.delete(key);
  return { terms, constant };
}

/** The region an index is in: its one region base, with coefficient 1. */
function regionOf(buffer: Buffer, l: Linear): Region | null {
  const bases = [...l.terms.values()].filter((t) => t.factor.kind === "base");
  if (bases.length !== 1 || bases[0]!.coef !== 1) return null;
  const r = (bases[0]!.factor as Extract<Expr, { kind: "base" }>).region;
  return bufferKey(buffer) === r.buffer ? r : null;
}

const sameRegion = (x: Region | null, y: Region): boolean => x !== null && x.name === y.name && x.offset === y.offset && x.buffer === y.buffer;

const isRange = (t: { factor: Expr }, ranges: Map<string, [number, number]>) => t.factor.kind === "ref" && ranges.has(t.factor.name);

function symbolic(l: Linear, ranges: Map<string, [number, number]>): Linear["terms"] {
  return new Map([...l.terms].filter(([, t]) => !isRange(t, ranges)));
}

/** The literal part's [lowest, highest] over the ranges of its loop variables. */
function interval(l: Linear, ranges: Map<string, [number, number]>): [number, number] {
  let [lo, hi] = [l.constant, l.constant];
  for (const t of l.terms.values()) {
    if (!isRange(t, ranges)) continue;
    const [a, z] = ranges.get((t.factor as Extract<Expr, { kind: "ref" }>).name)!;
    lo += Math.min(t.coef * a, t.coef * z);
    hi += Math.max(t.coef * a, t.coef * z);
  }
  return [lo, hi];
}

function sameTerms(x: Linear["terms"], y: Linear["terms"]): boolean {
  return x.size === y.size && [...x].every(([key, t]) => y.get(key)?.coef === t.coef);
}
