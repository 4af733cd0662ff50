// Activations inside other kernels: the fused one applied as a sum is stored, and the backward
// pass through it (the math is the activation op's own, src/ops/relu.ts and the like).
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Activation } from "../../kernel/activation.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";

/** The fused activation of x. */
export function formula(act: FusedActivation, x: Expr, precision: "f32" | "f64"): Expr {
  return act.math.formula(x, precision);
}

/** g[i] *= f'(y[i]) in place. */
export function scaleByDerivative(math: Activation, g: Region, y: Region, i: Expr): Stmt {
  return math.scale ? math.scale(g, y, i) : b.put(g, i, math.derivative(b.at(y, i)), "*=");
}

/** Backward through a fused activation: dy *= f'(y) over the whole output, in place. */
export function deriveBlock(act: FusedActivation | undefined, y: Region, dy: Region): Stmt[] {
  if (!act) return [];
  return [b.note(`dY *= ${act.op}'(Y)`), b.for("i", y.size, (i) => [scaleByDerivative(act.math, dy, y, i)])];
}
