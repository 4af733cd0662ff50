// The stores of f32x4 accumulators, and the blocks of vectors over a contiguous axis (filters,
// units) whose last vector may be partial. A partial vector (the last n % 4 filters or units)
// computes all four lanes and stores only its live ones: its loads read up to 3 floats past the
// live values (the next pixel's, the next weights, the next region, or the >= 16 bytes of slack
// the wasm memory keeps after its last region: SLACK in src/emit/wasm/build.ts), so its dead lanes
// hold finite garbage or even NaN, which no live store ever receives (stores are lane by lane,
// and a horizontal sum takes the live lanes only: liveSum).
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { vectorises } from "../../kernel/print/wasm.js";
import { range } from "../code.js";
import { formula, storeActivated } from "./activation.js";

/** The stores of the f32x4 `v`'s first `live` lanes at arena index `at` of y: the
 *  pre-activation first when it is kept, then f(v). f(v) is an f32x4 when the wasm printer
 *  computes the activation's formula as one (relu's (x + |x|) / 2), else each live lane is
 *  extracted and activated as a scalar (tanh, sigmoid, leaky_relu's select, ...). */
export function storeLanes(act: FusedActivation | undefined, y: Region, pre: Region | undefined, at: Expr, v: Expr, live: number): Stmt[] {
  if (act === undefined || vectorises(formula(act, b.ref("v"), "f32"), new Set(["v"]))) {
    const keep = pre === undefined ? [] : storeLive(b.add(at, b.sub(b.base(pre), b.base(y))), v, live);
    return [...keep, ...storeLive(at, act ? formula(act, v, "f32") : v, live)];
  }
  return [b.block(range(live).flatMap((e) => [b.const(`l${e}`, b.lane(v, e)), ...storeActivated(act, y, pre, b.add(at, e), b.ref(`l${e}`), "f32")]))];
}

/** a[at + e] op= lane e of the f32x4 `v`, for the first `live` lanes: one v128 store when all
 *  four are live, else lane by lane (the wasm printer makes them store32_lane / store64_lane),
 *  so the elements after the live ones (the next filters' weights or gradients, the next pixel,
 *  the next region) are never written. A += adds the four loaded elements as one f32x4 first. */
export function storeLive(at: Expr, v: Expr, live: number, op: "=" | "+=" = "="): Stmt[] {
  if (live === 4) return [b.store("a", at, v, op, 4)];
  const value = op === "=" ? v : b.add(b.load("a", at, 4), v);
  const stores = (u: Expr): Stmt[] => range(live).map((e) => b.store("a", b.add(at, e), b.lane(u, e)));
  return value.kind === "ref" ? stores(value) : [b.block(b.const("lv", value), stores(b.ref("lv")))];
}

/** The sum of the live lanes of f32x4 products: `full` (every lane live) and `last` (its first
 *  `live` lanes live): one horizontal sum, but when the last vector is partial its live lanes are
 *  added one by one, as its dead lanes may be NaN. `name` is the local that then holds `last`,
 *  declared by the statements returned. */
export function liveSum(full: readonly Expr[], last: Expr, live: number, name: string): { stmts: Stmt[]; sum: Expr } {
  if (live === 4) return { stmts: [], sum: b.hsum(b.sum([...full, last])) };
  const head = full.length === 0 ? [] : [b.hsum(b.sum(full))];
  return { stmts: [b.const(name, last)], sum: b.sum([...head, ...range(live).map((e) => b.lane(b.ref(name), e))]) };
}

/** The filters or units [0, n) as blocks of f32x4 vectors, ceil(n / 4) of them: full blocks of
 *  `vectors` vectors in a loop over j0, then one block of the remaining vectors. `body` gets the
 *  block's first index, its width in vectors and the live lanes of its LAST vector: 4, but n % 4
 *  in the block that ends at n when n % 4 > 0 (a block of its own when the loop would otherwise
 *  end with it, the loop's iterations all being alike). */
export function laneBlocks(n: number, vectors: number, body: (j0: Expr, count: number, live: number) => Stmt[]): Stmt[] {
  const width = 4 * vectors;
  const total = Math.ceil(n / 4);
  const tail = n % 4 === 0 ? 4 : n % 4;
  const rest = total % vectors;
  // blocks of `vectors` whole vectors, all of them full
  const full = Math.floor(total / vectors) - (rest === 0 && tail < 4 ? 1 : 0);
  const parts: Stmt[] = [];
  if (full === 1) parts.push(b.block(body(b.num(0), vectors, 4)));
  else if (full > 1) parts.push(b.for("j0", full * width, (j0) => body(j0, vectors, 4), { step: width }));
  if (full * vectors < total) parts.push(b.block(body(b.num(full * width), total - full * vectors, tail)));
  return parts;
}
