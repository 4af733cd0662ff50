// Register tiling as passes over plain loop nests. An op writes its loops once, plainly (the
// readable build prints them as they are); its tuned TypeScript schedule names which loop to
// block, by what width and under which local names, and these passes do the rewriting:
//   stripMine      for j < n        ->  for j0 step w { for jj < w }  + the remainder's loop
//   unrollAndJam   for jj < w { pre; for i { body }; post }
//                                  ->  pre x w; for i { body x w }; post x w  (locals renamed)
//   unrollCopies   for t < w { body } -> body x w, locals renamed (spliced or one block each)
//   fuse           for i { A }; for i { B }  ->  for i { A; B }  (at every level of two nests)
//   coalesce       for oy < H { for ox < W { .. (oy * W + ox) * c .. } }  ->  for p < H * W { .. p * c .. }
//   interchange    for p { for f { body } }  ->  for f { for p { body } }
//   hoist          a region's one load in a loop -> a const, in the body or before the loop
//   hoistIndexBase a region's indices differing by literals -> one base const + literals
//   accumulate     for j { y[i] += e }  ->  let s = 0; for j { s += e }; y[i] += s
//   splitSum       s += e1; s += e2 ...  ->  s += e1; h += e2 ...; and s read as s + h
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
import { forEachExpr, forEachStmt, replaceRef, rewrite, rewriteExpr, someExpr } from "./walk.js";

export type For = Extract<Stmt, { kind: "for" }>;

export function refuse(pass: string, why: string): never {
  throw new Error(`internal: ${pass}: ${why}`);
}

/** The consts in scope around a loop, each by its value (in terms of names outside them). */
export type Scope = ReadonlyMap<string, Expr>;

/** `stmts` with every loop over `v` replaced by `f(loop, scope)` (loops inside it first), `scope`
 *  the consts declared around it; refuses when there is none (the schedule names a loop the
 *  nest does not have). */
export function atLoop(stmts: readonly Stmt[], v: string, f: (loop: For, scope: Scope) => Stmt | readonly Stmt[]): Stmt[] {
  let found = 0;
  const walk = (list: readonly Stmt[], outer: Scope): Stmt[] => {
    const scope = new Map(outer);
    return list.flatMap((s): Stmt | readonly Stmt[] => {
      if (s.kind === "let") {
        if (s.mutable) scope.delete(s.name);
        else scope.set(s.name, expand(s.init, scope));
      }
      if (s.kind === "block") return { ...s, body: walk(s.body, scope) };
      if (s.kind === "if")
        return {
          ...s,
          then: walk(s.then, scope),
          otherwise: walk(s.otherwise, scope),
        };
      if (s.kind !== "for") return s;
      const loop = { ...s, body: walk(s.body, scope) };
      if (s.v !== v) return loop;
      found++;
      return f(loop, scope);
    });
  };
  const out = walk(stmts, new Map());
  if (found === 0) refuse("schedule", `no loop over ${v}`);
  return out;
}

/** The expression with the consts of `scope` replaced by their values. */
function expand(e: Expr, scope: Scope): Expr {
  return rewriteExpr(e, (x) => (x.kind === "ref" && scope.has(x.name) ? scope.get(x.name)! : x));
}

export interface StripMine {
  /** iterations per strip */
  readonly width: number;
  /** the variable of the loop over strips (its first iteration's value); may be the loop's own */
  readonly outer: string;
  /** the variable of the loop inside a strip */
  readonly inner: string;
  /** a single whole strip as a block (the default) or as a loop of one iteration */
  readonly oneStrip?: "block" | "loop";
  /** what each strip's inner loop becomes (`whole`: false for the remainder's); the loop itself
   *  by default */
  readonly then?: (strip: For, whole: boolean) => Stmt | readonly Stmt[];
}

/** Strip-mining: the loop over [start, end) becomes a loop over whole strips of `width`, each
 *  an inner loop `for inner < width` over the strip, then the remainder as an inner loop over
 *  the values left (`for inner = r; inner < end`). A strip's statements get a block of their own
 *  only when they declare locals at their top level. The iterations run in the same order, so
 *  it is always legal; it refuses a step other than 1 and new names the body already uses. */
export function stripMine(loop: For, s: StripMine): Stmt[] {
  const pass = "stripMine";
  if (loop.step !== 1) refuse(pass, `loop over ${loop.v} has step ${loop.step}`);
  if (!Number.isInteger(s.width) || s.width < 1) refuse(pass, `width ${s.width}`);
  const used = names(loop.body);
  if (used.has(s.inner) || s.inner === loop.v) refuse(pass, `name ${s.inner} is taken in the loop over ${loop.v}`);
  if ((used.has(s.outer) && s.outer !== loop.v) || s.outer === s.inner) refuse(pass, `name ${s.outer} is taken in the loop over ${loop.v}`);
  const then = s.then ?? ((strip: For) => strip);
  const listOf = (stmts: Stmt | readonly Stmt[]): Stmt[] => (Array.isArray(stmts) ? [...(stmts as Stmt[])] : [stmts as Stmt]);
  const scoped = (stmts: Stmt | readonly Stmt[]): Stmt[] => (listOf(stmts).some((t) => t.kind === "let") ? [b.block(listOf(stmts))] : listOf(stmts));
  const strip = (start: number, end: number, at: (inner: Expr) => Expr): For => ({ kind: "for", v: s.inner, start, end, step: 1, body: replaceRef(loop.body, loop.v, at(b.ref(s.inner))) });
  const full = Math.floor((loop.end - loop.start) / s.width);
  const wholeEnd = loop.start + full * s.width;
  const parts: Stmt[] = [];
  if (full === 1 && (s.oneStrip ?? "block") === "block") parts.push(...scoped(then(strip(loop.start, wholeEnd, (t) => t), true)));
  else if (full >= 1) {
    const body = listOf(then(strip(0, s.width, (t) => b.add(b.ref(s.outer), t)), true));
    parts.push({ kind: "for", v: s.outer, start: loop.start, end: wholeEnd, step: s.width, body });
  }
  if (wholeEnd < loop.end) parts.push(...scoped(then(strip(wholeEnd, loop.end, (t) => t), false)));
  return parts;
}

/** Unroll-and-jam: the loop `for v { pre; for i { body }; post }` is unrolled completely and
 *  its copies fused: every copy's `pre`, one loop over i whose body is every copy's `body` in
 *  order, then every copy's `post`. With `levels` above 1 the copies are fused through that many
 *  loop levels: `body` is itself `pre'; for j { body' }; post'`, and so on down (a register
 *  tile jammed through a window's loops). Each copy's locals are renamed by
 *  `rename(name, copy)`. Legal when (checked): at every jammed level the body holds exactly one
 *  loop at its top level and none elsewhere outside it; it has no continue, return, invoke or
 *  setField (which would act across copies); it assigns no name declared outside it; and every
 *  store of one copy is independent of every access of another (the memory model above), since
 *  the fused order interleaves copies that ran one after another. */
export function unrollAndJam(loop: For, rename: Rename = (n, q) => `${n}${q}`, options: Jam = {}): Stmt[] {
  const pass = "unrollAndJam";
  const levels = options.levels ?? 1;
  if (!Number.isInteger(levels) || levels < 1) refuse(pass, `levels ${levels}`);
  forEachStmt(loop.body, (s) => {
    if (s.kind === "continue" || s.kind === "return" || s.kind === "invoke" || s.kind === "setField") refuse(pass, `a ${s.kind} in the loop over ${loop.v}`);
  });
  const local = declared(loop.body);
  forEachStmt(loop.body, (s) => {
    if (s.kind === "assign" && !local.has(s.name)) refuse(pass, `the loop over ${loop.v} assigns ${s.name}, declared outside it`);
  });
  // the shape is checked on the loop's own body first, so that a refusal names it
  jamPoint(pass, loop.v, loop.body);
  const copies = unrolled(loop, rename);
  const ranges = loopRanges(loop.body);
  const accesses = copies.map((c) => accessesOf(c));
  for (let q = 0; q < copies.length; q++)
    for (let r = 0; r < copies.length; r++) {
      if (q === r) continue;
      for (const w of accesses[q]!.filter((a) => a.write))
        for (const a of accesses[r]!) if (!independent(w, a, ranges)) refuse(pass, `copies ${q} and ${r} of the loop over ${loop.v} may touch the same element`);
    }
  return jammed(pass, loop.v, copies, levels);
}

export interface Jam {
  /** loop levels the copies are fused through (1, the default: the body's one loop) */
  readonly levels?: number;
}

/** Where a jammed body's one loop is: its index at the top level, none elsewhere outside it. */
function jamPoint(pass: string, v: string, body: readonly Stmt[]): number {
  const at = body.flatMap((s, k) => (s.kind === "for" ? [k] : []));
  if (at.length !== 1) refuse(pass, `the loop over ${v} holds ${at.length} loops at its top level, not one`);
  const k = at[0]!;
  forEachStmt([...body.slice(0, k), ...body.slice(k + 1)], (s) => {
    if (s.kind === "for") refuse(pass, `a loop over ${s.v} outside the jammed loop`);
  });
  return k;
}

/** The copies (bodies of one loop, same shape) fused through `levels` loop levels. */
function jammed(pass: string, v: string, copies: readonly (readonly Stmt[])[], levels: number): Stmt[] {
  const k = jamPoint(pass, v, copies[0]!);
  const inner = copies[0]![k] as For;
  const bodies = copies.map((c) => (c[k] as For).body);
  const body = levels === 1 ? bodies.flat() : jammed(pass, inner.v, bodies, levels - 1);
  return [...copies.flatMap((c) => c.slice(0, k)), { ...inner, body }, ...copies.flatMap((c) => c.slice(k + 1))];
}

/** A copy's new name for one of the loop body's locals: `copy` counts from 0, `value` is the
 *  loop variable's value in it. */
export type Rename = (name: string, copy: number, value: number) => string;

/** One copy of the loop's body per value of its variable, its locals renamed (to names
 *  distinct across copies unless each copy will have a scope of its own). */
function unrolled(loop: For, rename: Rename, scoped = false): Stmt[][] {
  const local = declaredLocals(loop.body);
  const copies: Stmt[][] = [];
  const taken = names(loop.body);
  for (let v = loop.start, q = 0; v < loop.end; v += loop.step, q++) {
    const to = (n: string) => rename(n, q, v);
    for (const n of local) if (to(n) !== n && taken.has(to(n))) refuse("unroll", `copy ${q} would rename ${n} to ${to(n)}, which the loop over ${loop.v} uses`);
    copies.push(renamed(replaceRef(loop.body, loop.v, b.num(v)), local, to));
  }
  const fresh = new Set<string>();
  if (!scoped)
    for (const n of local)
      for (let q = 0, v = loop.start; v < loop.end; v += loop.step, q++) {
        const to = rename(n, q, v);
        if (fresh.has(to)) refuse("unroll", `two copies would name a local ${to}`);
        fresh.add(to);
      }
  return copies;
}

/** Complete unrolling with renamed locals: one copy of the body per value of the variable,
 *  spliced in order or each in a block of its own. The copies run in the original order, so it
 *  is legal whenever the renaming is (checked: new names are distinct and unused) and no
 *  `continue` of this loop is in the body (it would continue the loop around it instead). */
export function unrollCopies(loop: For, rename: Rename, layout: "splice" | "blocks"): Stmt[] {
  const continues = (stmts: readonly Stmt[]): boolean =>
    stmts.some((s) => s.kind === "continue" || (s.kind === "if" && (continues(s.then) || continues(s.otherwise))) || (s.kind === "block" && continues(s.body)));
  if (continues(loop.body)) refuse("unrollCopies", `a continue of the loop over ${loop.v}`);
  const copies = unrolled(loop, rename, layout === "blocks");
  return layout === "splice" ? copies.flat() : copies.map((c) => b.block(c));
}

/** Fusion: two loops over the same range become one whose body is the first's then the
 *  second's (its variable renamed to the first's); when each body is one loop over a common
 *  range, those are fused too, and so on down. Legal when (checked) the bodies declare no local
 *  of one name, and every store of either nest
 *  is independent of every access of the other for any iterations of both, since the fused
 *  order runs the second nest's iteration i before the first's i + 1. */
export function fuse(x: For, y: For): For {
  const pass = "fuse";
  if (x.start !== y.start || x.end !== y.end || x.step !== y.step) refuse(pass, `loops over ${x.v} and ${y.v} have different ranges`);
  if (x.v !== y.v && names(y.body).has(x.v)) refuse(pass, `name ${x.v} is taken in the loop over ${y.v}`);
  const yBody = x.v === y.v ? y.body : replaceRef(y.body, y.v, b.ref(x.v));
  const xLocals = declaredLocals(x.body);
  for (const n of declaredLocals(yBody)) if (xLocals.has(n)) refuse(pass, `both loops over ${x.v} declare ${n}`);
  const ranges = new Map([...loopRanges([x]), ...loopRanges([{ ...y, v: x.v, body: yBody }])]);
  const [ax, ay] = [accessesOf(x.body), accessesOf(yBody)];
  for (const [p, q] of [
    [ax, ay],
    [ay, ax],
  ] as const)
    for (const w of p.filter((a) => a.write)) for (const a of q) if (!independent(w, a, ranges)) refuse(pass, `the loops over ${x.v} may touch one element`);
  const [ix, iy] = [x.body[0], yBody[0]];
  if (x.body.length === 1 && yBody.length === 1 && ix!.kind === "for" && iy!.kind === "for" && ix.start === iy.start && ix.end === iy.end && ix.step === iy.step) return { ...x, body: [fuse(ix, iy)] };
  return { ...x, body: [...x.body, ...yBody] };
}

/** Coalescing: two perfect loops from 0 by 1, `for o < H { for i < W { body } }`, become one
 *  loop `for name < H * W`, each index reading o and i only as `(o * W + i) * c` reading
 *  `name * c`. Legal when (checked) the outer body is the inner loop alone, both run from 0 by
 *  1, and every read of o or i is in an index whose linear form has o's coefficient W times
 *  i's: the iterations and their order are the same. */
export function coalesce(outer: For, name: string): For {
  const pass = "coalesce";
  const inner = outer.body[0];
  if (outer.body.length !== 1 || inner?.kind !== "for") refuse(pass, `the loop over ${outer.v} is not one loop around another`);
  if (outer.start !== 0 || outer.step !== 1 || inner.start !== 0 || inner.step !== 1) refuse(pass, `the loops over ${outer.v} and ${inner.v} do not run from 0 by 1`);
  if (names(inner.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${inner.v}`);
  const isVar = (t: { factor: Expr }, v: string) => t.factor.kind === "ref" && t.factor.name === v;
  const index = (e: Expr): Expr => {
    const l = linear(e);
    const terms = [...l.terms.values()];
    const [o, i] = [terms.find((t) => isVar(t, outer.v)), terms.find((t) => isVar(t, inner.v))];
    if (o === undefined && i === undefined) return e;
    const c = i?.coef ?? 0;
    if ((o?.coef ?? 0) !== c * inner.end || c === 0) refuse(pass, `an index reads ${outer.v} and ${inner.v} other than as (${outer.v} * ${inner.end} + ${inner.v}) * c`);
    const first = terms.findIndex((t) => isVar(t, outer.v) || isVar(t, inner.v));
    const parts = terms.flatMap((t, k): Expr[] => {
      if (k === first) return [c === 1 ? b.ref(name) : b.mul(b.ref(name), c)];
      if (isVar(t, outer.v) || isVar(t, inner.v)) return [];
      return [t.coef === 1 ? t.factor : b.mul(t.factor, t.coef)];
    });
    return b.add(...parts, ...(l.constant === 0 ? [] : [b.num(l.constant)]));
  };
  const body = rewrite(inner.body, {
    expr: (e) => (e.kind === "load" ? { ...e, index: index(e.index) } : e),
    stmt: (s) => (s.kind === "store" ? { ...s, index: index(s.index) } : s),
  });
  if ([outer.v, inner.v].some((v) => names(body).has(v))) refuse(pass, `the loop over ${inner.v} reads ${outer.v} or ${inner.v} outside an index`);
  return { kind: "for", v: name, start: 0, end: outer.end * inner.end, step: 1, body };
}

/** Interchange: `for o { for i { body } }` becomes `for i { for o { body } }`. Legal when
 *  (checked) the outer body is the inner loop alone and every store's element is reached, by
 *  every access of it the dependence test cannot separate, at an index with the same literal,
 *  the same terms, and i's same nonzero coefficient, o absent: then iterations with different i
 *  touch different elements, and those with the same i keep their order in o. */
export function interchange(outer: For, scope: Scope = new Map()): For {
  const pass = "interchange";
  const inner = outer.body[0];
  if (outer.body.length !== 1 || inner?.kind !== "for") refuse(pass, `the loop over ${outer.v} is not one loop around another`);
  const ranges = loopRanges([outer]);
  const accesses = accessesOf(inner.body, scope);
  const keyed = (l: Linear, v: string) => new Map([...l.terms].filter(([, t]) => !(t.factor.kind === "ref" && t.factor.name === v)));
  const coef = (l: Linear, v: string) => [...l.terms.values()].find((t) => t.factor.kind === "ref" && t.factor.name === v)?.coef ?? 0;
  for (const w of accesses.filter((a) => a.write))
    for (const a of accesses) {
      if (independent(w, a, ranges)) continue;
      const [lw, la] = [linear(w.index), linear(a.index)];
      const ok = coef(lw, outer.v) === 0 && coef(la, outer.v) === 0 && coef(lw, inner.v) !== 0 && coef(lw, inner.v) === coef(la, inner.v) &&
        lw.constant === la.constant && sameTerms(keyed(lw, inner.v), keyed(la, inner.v));
      if (!ok) refuse(pass, `iterations of the loops over ${outer.v} and ${inner.v} may touch one element in another order`);
    }
  return { ...inner, body: [{ ...outer, body: inner.body }] };
}

/** Hoisting a load: the loads of `region` in the loop, which must all be one expression, are
 *  read from `const name`, declared first in the loop's body or (`before`) just before the loop.
 *  Legal when (checked) there is such a load, its index reads no name declared or assigned in
 *  the body (nor, before the loop, the loop's variable), no field the body sets, and no store
 *  in the body may write the element; `name` must be new to the body. */
export function hoist(loop: For, name: string, region: Region, where?: "body", scope?: Scope): For;
export function hoist(loop: For, name: string, region: Region, where: "before", scope?: Scope): Stmt[];
export function hoist(loop: For, name: string, region: Region, where: "body" | "before" = "body", scope: Scope = new Map()): For | Stmt[] {
  const pass = "hoist";
  const loads = new Map<string, Expr>();
  forEachExpr(loop.body, (e) => {
    if (e.kind === "load" && sameRegion(regionOf(e.buffer, linear(e.index)), region)) loads.set(JSON.stringify(e), e);
  });
  if (loads.size !== 1) refuse(pass, `the loop over ${loop.v} loads ${loads.size} different elements of ${region.name}, not one`);
  if (names(loop.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${loop.v}`);
  const [key, value] = [...loads][0]! as [string, Extract<Expr, { kind: "load" }>];
  invariant(pass, loop, value, where === "before");
  const load: Access = { buffer: value.buffer, index: expand(value.index, scope), write: false };
  for (const s of accessesOf(loop.body, scope).filter((a) => a.write)) if (!independent(s, load, new Map())) refuse(pass, `the loop over ${loop.v} may store where ${region.name} is loaded`);
  const body = rewrite(loop.body, { expr: (e) => (JSON.stringify(e) === key ? b.ref(name) : e) });
  const decl = b.const(name, value);
  return where === "body" ? { ...loop, body: [decl, ...body] } : [decl, { ...loop, body }];
}

/** Hoisting an index base: the loads and stores of `region` in the loop, whose indices must
 *  share one symbolic part (in the body: all of the index; before the loop: all but the terms
 *  in the loop's variables) and differ only by literals, index from `const name` (that part plus
 *  the smallest literal), declared first in the body or just before the loop. Legal when
 *  (checked) there is such an access, the parts agree, and they read no name declared or
 *  assigned in the body. Only index arithmetic moves, so stores do not matter. */
export function hoistIndexBase(loop: For, name: string, region: Region): For;
export function hoistIndexBase(loop: For, name: string, region: Region, where: "before"): Stmt[];
export function hoistIndexBase(loop: For, name: string, region: Region, where: "body" | "before" = "body"): For | Stmt[] {
  const pass = "hoistIndexBase";
  if (names(loop.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${loop.v}`);
  const inLoop = where === "before" ? declared([loop]) : new Set<string>();
  const varying = (t: { factor: Expr }) => t.factor.kind === "ref" && inLoop.has(t.factor.name);
  const split = (index: Expr) => {
    const l = linear(index);
    return {
      sym: new Map([...l.terms].filter(([, t]) => !varying(t))),
      rest: [...l.terms.values()].filter(varying),
      constant: l.constant,
    };
  };
  const forms: ReturnType<typeof split>[] = [];
  const mine = (buffer: Buffer, index: Expr) => sameRegion(regionOf(buffer, linear(index)), region);
  forEachExpr(loop.body, (e) => {
    if (e.kind === "load" && mine(e.buffer, e.index)) forms.push(split(e.index));
  });
  forEachStmt(loop.body, (s) => {
    if (s.kind === "store" && mine(s.buffer, s.index)) forms.push(split(s.index));
  });
  if (forms.length === 0) refuse(pass, `the loop over ${loop.v} reaches nothing of ${region.name}`);
  const sym = forms[0]!.sym;
  if (!forms.every((f) => sameTerms(f.sym, sym))) refuse(pass, `the indices of ${region.name} do not share one symbolic part`);
  const least = Math.min(...forms.map((f) => f.constant));
  const sum = (terms: Iterable<{ coef: number; factor: Expr }>, constant: number): Expr[] => [
    ...[...terms].map((t) => (t.coef === 1 ? t.factor : b.mul(t.factor, t.coef))),
    ...(constant === 0 ? [] : [b.num(constant)]),
  ];
  const baseExpr = b.add(...sum(sym.values(), least));
  invariant(pass, loop, baseExpr, where === "before");
  const index = (i: Expr): Expr => {
    const f = split(i);
    return b.add(b.ref(name), ...sum(f.rest, 0), f.constant - least);
  };
  const body = rewrite(loop.body, {
    expr: (e) => (e.kind === "load" && mine(e.buffer, e.index) ? { ...e, index: index(e.index) } : e),
    stmt: (s) => (s.kind === "store" && mine(s.buffer, s.index) ? { ...s, index: index(s.index) } : s),
  });
  const decl = b.const(name, baseExpr);
  return where === "body" ? { ...loop, body: [decl, ...body] } : [decl, { ...loop, body }];
}

/** Scalar replacement of a sum: the loop's stores `region[index] += e`, which must all be at
 *  one index, add into `let name = 0` (declared just before the loop) instead, and one store
 *  `region[index] += name` follows the loop. Legal when (checked) every store of the region in
 *  the loop is such a `+=` at that index, which reads no name declared or assigned in the loop
 *  (nor its variable), and nothing else in the loop reads the region's element. The sum is
 *  then formed in a local before it joins the element, so its rounding differs from storing
 *  each term (the op's decision; the tuned schedules sum in f64 locals). */
export function accumulate(loop: For, region: Region, name: string, scope: Scope = new Map()): Stmt[] {
  const pass = "accumulate";
  if (names(loop.body).has(name)) refuse(pass, `name ${name} is taken in the loop over ${loop.v}`);
  const mine = (buffer: Buffer, index: Expr) => sameRegion(regionOf(buffer, linear(index)), region);
  const stores: Extract<Stmt, { kind: "store" }>[] = [];
  forEachStmt(loop.body, (s) => {
    if (s.kind === "store" && mine(s.buffer, s.index)) stores.push(s);
  });
  if (stores.length === 0) refuse(pass, `the loop over ${loop.v} stores nothing into ${region.name}`);
  const target = stores[0]!;
  const key = JSON.stringify(target.index);
  for (const s of stores) if (s.op !== "+=" || JSON.stringify(s.index) !== key || s.lanes !== 1) refuse(pass, `a store into ${region.name} that is not += at one index`);
  invariant(pass, loop, target.index, true);
  const element: Access = {
    buffer: target.buffer,
    index: expand(target.index, scope),
    write: true,
  };
  for (const a of accessesOf(loop.body, scope)) if (!a.write && !independent(element, a, new Map())) refuse(pass, `the loop over ${loop.v} reads ${region.name}'s element`);
  const body = rewrite(loop.body, {
    stmt: (s) => (s.kind === "store" && mine(s.buffer, s.index) ? b.assign(name, s.value, "+=") : s),
  });
  return [b.let(name, 0), { ...loop, body }, b.store(target.buffer, target.index, b.ref(name), "+=")];
}

/** Splitting a sum over partial sums: in `stmts`, the updates `name += e` (in order, at any
 *  depth) go round-robin into `name` and each of `more` (declared `let ... = 0` right after
 *  `name`), and the reads of `name` after them read the sum of all. Legal when (checked) `name`
 *  is a top-level `let name = 0`, every assignment to it is a `+=`, and it is read only in
 *  top-level statements after the last one that updates it. It reassociates the sum (exact in
 *  real arithmetic; its rounding is the op's decision): independent partial sums let the adds
 *  overlap instead of each waiting for the last. */
export function splitSum(stmts: readonly Stmt[], name: string, more: readonly string[]): Stmt[] {
  const pass = "splitSum";
  const at = stmts.findIndex((s) => s.kind === "let" && s.name === name);
  const decl = stmts[at];
  if (decl === undefined || decl.kind !== "let" || !decl.mutable || decl.init.kind !== "num" || decl.init.value !== 0) refuse(pass, `no top-level let ${name} = 0`);
  const taken = names(stmts);
  for (const n of more) if (taken.has(n)) refuse(pass, `name ${n} is taken`);
  const reads = (s: Stmt) => {
    let found = false;
    forEachExpr([s], (e) => {
      if (e.kind === "ref" && e.name === name) found = true;
    });
    return found;
  };
  let lastUpdate = at;
  stmts.forEach((s, k) =>
    forEachStmt([s], (t) => {
      if (t.kind !== "assign" || t.name !== name) return;
      if (t.op !== "+=") refuse(pass, `${name} ${t.op} is not a sum's update`);
      lastUpdate = k;
    }),
  );
  stmts.forEach((s, k) => {
    if (k <= lastUpdate && reads(s)) refuse(pass, `${name} is read before its last update`);
  });
  const all = [name, ...more];
  let count = 0;
  const split = rewrite(stmts.slice(0, lastUpdate + 1), {
    stmt: (s) => (s.kind === "assign" && s.name === name ? { ...s, name: all[count++ % all.length]! } : s),
  });
  const total = b.add(...all.map((n) => b.ref(n)));
  const after = rewrite(stmts.slice(lastUpdate + 1), {
    expr: (e) => (e.kind === "ref" && e.name === name ? total : e),
  });
  return [...split.slice(0, at + 1), ...more.map((n) => b.let(n, 0)), ...split.slice(at + 1), ...after];
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
      (s.kind === "assign" &&
        (s.op === "+=" || s.op === "-=") &&
        !local.has(s.name) &&
        s.value.kind === "binary" &&
        s.value.op === "*" &&
        (isName(s.value.left) || isName(s.value.right)) &&
        pure(s.value));
    if (!ok) refuse(pass, `a ${s.kind} in the loop over ${loop.v} that is not a multiple of ${name} added to a sum`);
  }
  const skip = b.if(b.eq(b.ref(name), 0), [b.continue()]);
  return {
    ...loop,
    body: [...loop.body.slice(0, k + 1), skip, ...loop.body.slice(k + 1)],
  };
}

/** Refuses a value that reads a name declared or assigned in the loop's body (or, `outside`,
 *  the loop's variable), or a field it sets. */
function invariant(pass: string, loop: For, value: Expr, outside = false): void {
  const changing = declared(loop.body);
  if (outside) changing.add(loop.v);
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

/** Locals (not loop variables) declared in the statements, at any depth. */
function declaredLocals(stmts: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  forEachStmt(stmts, (s) => {
    if (s.kind === "let") out.add(s.name);
  });
  return out;
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
  /** whether the index reads a name that may hold another value at another access (a `let`,
   *  an assigned name, or a const declared in the statements that was not replaced by its
   *  value): such an index is compared by region only */
  readonly unstable?: boolean;
}

/** Every load and store in the statements, each index with the consts it reads replaced by
 *  their values (a const never changes, so its value is the index's), so that indices through
 *  a hoisted base still compare. A const whose value reads a name that changes is kept. */
function accessesOf(stmts: readonly Stmt[], outer: Scope = new Map()): Access[] {
  const changing = new Set<string>();
  forEachStmt(stmts, (s) => {
    if (s.kind === "let" || s.kind === "assign") changing.add(s.name);
  });
  const reads = (e: Expr, names: Set<string>) => someExpr(e, (x) => x.kind === "ref" && names.has(x.name));
  const walk = (list: readonly Stmt[], scope: Map<string, Expr>): Access[] => {
    const out: Access[] = [];
    const consts = new Map(scope);
    const access = (buffer: Buffer, index: Expr, write: boolean): Access => {
      const i = expand(index, consts);
      return { buffer, index: i, write, unstable: reads(i, changing) };
    };
    const loads = (e: Expr): void =>
      forEachExpr([b.return(e)], (x) => {
        if (x.kind === "load") out.push(access(x.buffer, x.index, false));
      });
    for (const s of list) {
      switch (s.kind) {
        case "for":
        case "block":
          out.push(...walk(s.body, consts));
          break;
        case "if":
          loads(s.cond);
          out.push(...walk(s.then, consts), ...walk(s.otherwise, consts));
          break;
        case "let": {
          loads(s.init);
          const value = expand(s.init, consts);
          if (s.mutable || reads(value, changing)) consts.delete(s.name);
          else consts.set(s.name, value);
          break;
        }
        case "store":
          loads(s.index);
          loads(s.value);
          out.push(access(s.buffer, s.index, true));
          break;
        default:
          forEachExpr([s], (x) => {
            if (x.kind === "load") out.push(access(x.buffer, x.index, false));
          });
      }
    }
    return out;
  };
  return walk(stmts, new Map(outer));
}

const bufferKey = (x: Buffer): string => (typeof x === "string" ? x : `arg:${x.arg}`);

/** Whether two accesses provably touch different elements (the memory model above); `ranges`
 *  are the loops whose variables may differ between them. */
function independent(x: Access, y: Access, ranges: Map<string, [number, number]>): boolean {
  if (bufferKey(x.buffer) !== bufferKey(y.buffer)) return true;
  const [lx, ly] = [linear(x.index), linear(y.index)];
  const [rx, ry] = [regionOf(x.buffer, lx), regionOf(y.buffer, ly)];
  if (rx && ry && (rx.offset + rx.size <= ry.offset || ry.offset + ry.size <= rx.offset)) return true;
  if (x.unstable || y.unstable) return false;
  const [sx, sy] = [symbolic(lx, ranges), symbolic(ly, ranges)];
  if (!sameTerms(sx, sy)) return false;
  const [ix, iy] = [interval(lx, ranges), interval(ly, ranges)];
  return ix[1] < iy[0] || iy[1] < ix[0];
}

/** An index as coef * factor terms (keyed by the factor's tree) plus a literal. */
export interface Linear {
  readonly terms: Map<string, { readonly coef: number; readonly factor: Expr }>;
  readonly constant: number;
}

export function linear(x: Expr): Linear {
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
export function regionOf(buffer: Buffer, l: Linear): Region | null {
  const bases = [...l.terms.values()].filter((t) => t.factor.kind === "base");
  if (bases.length !== 1 || bases[0]!.coef !== 1) return null;
  const r = (bases[0]!.factor as Extract<Expr, { kind: "base" }>).region;
  return bufferKey(buffer) === r.buffer ? r : null;
}

export const sameRegion = (x: Region | null, y: Region): boolean => x !== null && x.name === y.name && x.offset === y.offset && x.buffer === y.buffer;

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
