// Element counts that stay exact or saturate: never NaN, never a RangeError.
import type { Shape } from "./types.js";

/** The number of elements; dims are bounded by the dimension limit, so the product is finite. */
export function elementCount(shape: Shape): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}
