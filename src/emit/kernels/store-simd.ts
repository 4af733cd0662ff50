// The store of an f32x4 accumulator, with the layer's fused activation: lane by lane as an
// f32x4 when the wasm printer computes the activation's formula as one (relu's (x + |x|) / 2),
// else each lane extracted and activated as a scalar (tanh, sigmoid, leaky_relu's select, ...).
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { vectorises } from "../../kernel/print/wasm.js";
import { range } from "../code.js";
import { formula, storeActivated } from "./activation.js";

/** The stores of `v` (a vector when lanes is 4, else a scalar) at arena index `at` of y: the
 *  pre-activation first when it is kept, then f(v). */
export function storeLanes(act: FusedActivation | undefined, y: Region, pre: Region | undefined, at: Expr, v: Expr, lanes: 1 | 4): Stmt[] {
  if (lanes === 1) return storeActivated(act, y, pre, at, v, "f32");
  if (act === undefined || vectorises(formula(act, b.ref("v"), "f32"), new Set(["v"]))) {
    const keep = pre === undefined ? [] : [b.store("a", b.add(at, b.sub(b.base(pre), b.base(y))), v, "=", 4)];
    return [...keep, b.store("a", at, act ? formula(act, v, "f32") : v, "=", 4)];
  }
  return [b.block(range(4).flatMap((e) => [b.const(`l${e}`, b.lane(v, e)), ...storeActivated(act, y, pre, b.add(at, e), b.ref(`l${e}`), "f32")]))];
}

/** The filters or units [0, n) as blocks: full blocks of `vectors` f32x4 vectors in a loop over
 *  j0, then one block of the remaining whole vectors, then the last n % 4 as scalars (lanes 1).
 *  `body` gets the block's first index, its width in vectors (or scalars) and the lanes. */
export function laneBlocks(n: number, vectors: number, body: (j0: Expr, count: number, lanes: 1 | 4) => Stmt[]): Stmt[] {
  const width = 4 * vectors;
  const full = Math.floor(n / width);
  const restVectors = Math.floor((n % width) / 4);
  const tail = n % 4;
  const parts: Stmt[] = [];
  if (full === 1) parts.push(b.block(body(b.num(0), vectors, 4)));
  else if (full > 1) parts.push(b.for("j0", full * width, (j0) => body(j0, vectors, 4), { step: width }));
  if (restVectors > 0) parts.push(b.block(body(b.num(full * width), restVectors, 4)));
  if (tail > 0) parts.push(b.block(body(b.num(n - tail), tail, 1)));
  return parts;
}
