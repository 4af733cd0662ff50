// Elementwise activations: the forward formula, and the derivative written in terms of the
// output y, so a fused activation needs no stored pre-activation.
import type { FusedActivation } from "../../ir/graph.js";
import { num } from "../code.js";

/** The activation of expression x. Written so that a NaN passes through (for --check-numerics). */
export function formula(act: FusedActivation, x: string, precision: "f32" | "f64"): string {
  switch (act.op) {
    case "relu":
      // (x + |x|) / 2 has no branch, so it costs the same whatever the sign pattern of the data
      // (the compare-and-branch form mispredicts on about half of real activations). It is exact
      // for every finite sum of float32 products; it is kept out of f64 builds, where 2x can
      // overflow, and it gives NaN rather than 0 for a sum of -Infinity (a diverged network).
      return precision === "f32" ? `(${x} + Math.abs(${x})) * 0.5` : `(${x} < 0 ? 0 : ${x})`;
    case "leaky_relu":
      return `(${x} < 0 ? ${x} * ${num(act.alpha)} : ${x})`;
    case "sigmoid":
      return `1 / (1 + Math.exp(-${x}))`;
    case "tanh":
      return `Math.tanh(${x})`;
  }
}

/** Code that multiplies the gradient `a[g]` by the derivative at output `a[y]`. */
export function scaleByDerivative(act: FusedActivation, g: string, y: string): string {
  switch (act.op) {
    case "relu":
      return `if (a[${y}] <= 0) a[${g}] = 0;`;
    case "leaky_relu":
      return `if (a[${y}] <= 0) a[${g}] *= ${num(act.alpha)};`;
    case "sigmoid":
      return `{ const s = a[${y}]; a[${g}] *= s * (1 - s); }`;
    case "tanh":
      return `{ const t = a[${y}]; a[${g}] *= 1 - t * t; }`;
  }
}

/** The derivative at output y, as an expression. */
export function derivative(act: FusedActivation, y: string): string {
  switch (act.op) {
    case "relu":
      return `(${y} > 0 ? 1 : 0)`;
    case "leaky_relu":
      return `(${y} > 0 ? 1 : ${num(act.alpha)})`;
    case "sigmoid":
      return `${y} * (1 - ${y})`;
    case "tanh":
      return `(1 - ${y} * ${y})`;
  }
}

/** Backward through a fused activation: dy *= f'(y) over a whole block, in place. */
export function deriveBlock(act: FusedActivation | undefined, y: number, dy: number, size: number): string {
  if (!act) return "";
  return `for (let i = 0; i < ${num(size)}; i++) { ${scaleByDerivative(act, `${num(dy)} + i`, `${num(y)} + i`)} }`;
}
