// Tiny helpers for the text of the module's public members (argument checks, copies in and
// out). Everything interpolated here is a number or an internal identifier; user text never
// passes through these. Kernels are trees (src/kernel/), not text.
import { literal } from "../kernel/print/ts.js";

/** A number as a literal that round-trips exactly. */
export const num = literal;

/** [0, 1, ..., n - 1]: the indices of a block's unrolled accumulators. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A new `array` holding `source[start, end)`: a slice when the arena has that element type,
 *  else a converting copy (f32 builds hand out Float32Arrays of their Float64Array arena). */
export function copyOut(ctx: { readonly array: string; readonly arena: string }, source: string, start: number | string, end: number | string): string {
  const [from, to] = [start, end].map((v) => (typeof v === "number" ? num(v) : v));
  return ctx.array === ctx.arena ? `${source}.slice(${from}, ${to})` : `new ${ctx.array}(${source}.subarray(${from}, ${to}))`;
}

/** A value as the arena stores it: rounded to float32 in f32 builds on a Float64Array arena
 *  (src/kernel/passes/round.ts does the same for every kernel store). */
export function stored(ctx: { readonly schedule: { readonly roundStores: boolean } }, value: string): string {
  return ctx.schedule.roundStores ? `Math.fround(${value})` : value;
}
