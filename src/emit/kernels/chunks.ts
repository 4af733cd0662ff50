// Long f32 sums in chunks. An f32x4 kernel that sums over a long axis in one f32 accumulator
// (dense's inputs, 16,000 and more after a flatten) gathers rounding
// error with the axis' length, where the TypeScript target and tfjs' cpu backend sum in f64
// locals. Summed into a fresh partial per chunk, which is then added to the running sum, the
// error grows with the chunk's length plus the number of chunks instead. What it answers: a
// dense layer over a 23,040-long input went past the differential tolerance after Adam's first
// step, which divides a gradient by its own size (test/RELIABILITY.md).
// The cost is one vector add per chunk and accumulator.
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";

/** Terms summed into one partial before it joins the running sum. */
export const CHUNK = 64;

/** The loop over i < n of `term(i, names)`, which adds term i into the accumulators `names`
 *  (declared by the caller, as `totals`): whole chunks into fresh partials (`p` + the total's
 *  name) added to the totals after each chunk, the last n % CHUNK terms into the totals. */
export function chunkedSum(n: number, totals: readonly string[], term: (i: Expr, into: readonly string[]) => Stmt[]): Stmt[] {
  const whole = n - (n % CHUNK);
  const partials = totals.map((t) => `p${t}`);
  return [
    ...(whole === 0
      ? []
      : [
          b.for("c", whole, (c) => [
            ...partials.map((p) => b.let(p, b.splat(0))),
            b.for("t", CHUNK, (t) => term(b.add(c, t), partials)),
            ...totals.map((t, k) => b.assign(t, b.ref(partials[k]!), "+=")),
          ], { step: CHUNK }),
        ]),
    ...(whole === n ? [] : [b.for("i", n, (i) => term(i, totals), { start: whole })]),
  ];
}
