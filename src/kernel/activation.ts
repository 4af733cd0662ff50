// What an elementwise activation is to the kernels: its formula, and its derivative written in
// terms of its output y (so a fused activation needs no stored pre-activation). An activation
// op defines one (src/ops/relu.ts, ...); the fusion pass hands it to the producing kernel.
import type { Expr, Region, Stmt } from "./ir.js";

export interface Activation {
  /** the op's name, for comments */
  readonly name: string;
  /** f(x); written so that a NaN passes through (for --check-numerics) */
  formula(x: Expr, precision: "f32" | "f64"): Expr;
  /** f'(x) as a function of y = f(x) */
  derivative(y: Expr): Expr;
  /** g[i] *= f'(y[i]), in place; ops may have a cheaper form than the multiply */
  scale?(g: Region, y: Region, i: Expr): Stmt;
}
