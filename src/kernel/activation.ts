// What an elementwise activation is to the kernels: its formula, and its derivative written in
// terms of its output y (so a fused activation needs no stored pre-activation) or, for the
// activations whose derivative is no function of y alone (gelu, silu, softplus, hard_swish),
// in terms of its input x. An activation op defines one (src/ops/relu.ts, ...); the fusion
// pass hands it to the producing kernel, and the memory plan keeps the pre-activation of a
// fused one that reads x (src/ir/plan.ts, `preActivations`).
import type { Expr, Region, Stmt } from "./ir.js";

export interface Activation {
  /** the op's name, for comments */
  readonly name: string;
  /** what `derivative` and `scale` read: the output y (the default) or the input x */
  readonly derivativeOf?: "output" | "input";
  /** f(x); written so that a NaN passes through (for --check-numerics) */
  formula(x: Expr, precision: "f32" | "f64"): Expr;
  /** f'(x) as a function of v: y = f(x), or x itself when `derivativeOf` is "input" */
  derivative(v: Expr, precision: "f32" | "f64"): Expr;
  /** g[i] *= f'(v[i]), in place; ops may have a cheaper form than the multiply */
  scale?(g: Region, v: Region, i: Expr, precision: "f32" | "f64"): Stmt;
}

/** Whether the backward pass through the activation reads its input rather than its output. */
export function readsInput(math: Activation): boolean {
  return math.derivativeOf === "input";
}
