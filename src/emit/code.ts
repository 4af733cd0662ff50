// Tiny helpers for writing generated code. Everything interpolated here is a number or an
// internal identifier; user text never passes through these.

/** A number as a literal that round-trips exactly. */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`internal: non-finite literal ${x}`);
  return Object.is(x, -0) ? "0" : String(x);
}

/** [0, 1, ..., n - 1]: the indices of a block's unrolled accumulators. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `base + k * expr`, folded when `expr` is a literal. */
export function affine(base: number, k: number, expr: string | number): string {
  if (typeof expr === "number") return num(base + k * expr);
  if (k === 0) return num(base);
  const term = k === 1 ? expr : `${expr} * ${num(k)}`;
  return base === 0 ? term : `${num(base)} + ${term}`;
}

/** Sum of terms, dropping zeros: ["a", 0, "b * 3"] -> "a + b * 3". */
export function sum(...terms: (string | number)[]): string {
  const consts = terms.filter((t): t is number => typeof t === "number").reduce((a, b) => a + b, 0);
  const vars = terms.filter((t): t is string => typeof t === "string");
  if (consts !== 0 || vars.length === 0) vars.push(num(consts));
  return vars.join(" + ");
}

/** A new `array` holding `source[start, end)`: a slice when the arena has that element type,
 *  else a converting copy (f32 builds hand out Float32Arrays of their Float64Array arena). */
export function copyOut(ctx: { readonly array: string; readonly arena: string }, source: string, start: number | string, end: number | string): string {
  const [from, to] = [start, end].map((v) => (typeof v === "number" ? num(v) : v));
  return ctx.array === ctx.arena ? `${source}.slice(${from}, ${to})` : `new ${ctx.array}(${source}.subarray(${from}, ${to}))`;
}

/** `expr + n`, folding n into a literal at the end of `expr` ("xb + 5" + 1 -> "xb + 6"). Only
 *  for the index sums this module writes, whose terms are all added. */
export function plus(expr: string, n: number): string {
  const m = /^(.*) \+ (\d+)$/.exec(expr);
  if (m) return sum(m[1]!, Number(m[2]) + n);
  return /^\d+$/.test(expr) ? num(Number(expr) + n) : sum(expr, n);
}
