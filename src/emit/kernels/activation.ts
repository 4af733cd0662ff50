// Elementwise activations: the forward formula, and the derivative written in terms of the
// output y, so a fused activation needs no stored pre-activation.
import type { FusedActivation } from "../../ir/graph.js";
import { b, type E } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";

/** The activation of x. Written so that a NaN passes through (for --check-numerics). */
export function formula(act: FusedActivation, x: Expr, precision: "f32" | "f64"): Expr {
  switch (act.op) {
    case "relu":
      // (x + |x|) / 2 has no branch, so it costs the same whatever the sign pattern of the data
      // (the compare-and-branch form mispredicts on about half of real activations). It is exact
      // for every finite sum of float32 products; it is kept out of f64 builds, where 2x can
      // overflow, and it gives NaN rather than 0 for a sum of -Infinity (a diverged network).
      return precision === "f32" ? b.mul(b.add(x, b.math("abs", x)), 0.5) : b.select(b.lt(x, 0), 0, x);
    case "leaky_relu":
      return b.select(b.lt(x, 0), b.mul(x, act.alpha), x);
    case "sigmoid":
      return b.div(1, b.add(1, b.math("exp", b.neg(x))));
    case "tanh":
      return b.math("tanh", x);
  }
}

/** Multiplies the gradient element g by the derivative at the output element y, in place. */
function scaleByDerivative(act: FusedActivation, g: Region, y: Region, i: E): Stmt {
  switch (act.op) {
    case "relu":
      return b.if(b.le(b.at(y, i), 0), [b.put(g, i, 0)]);
    case "leaky_relu":
      return b.if(b.le(b.at(y, i), 0), [b.put(g, i, act.alpha, "*=")]);
    case "sigmoid":
      return b.block(b.const("s", b.at(y, i)), b.put(g, i, b.mul(b.ref("s"), b.sub(1, b.ref("s"))), "*="));
    case "tanh":
      return b.block(b.const("t", b.at(y, i)), b.put(g, i, b.sub(1, b.mul(b.ref("t"), b.ref("t"))), "*="));
  }
}

/** The derivative at output y, as an expression. */
export function derivative(act: FusedActivation, y: Expr): Expr {
  switch (act.op) {
    case "relu":
      return b.select(b.gt(y, 0), 1, 0);
    case "leaky_relu":
      return b.select(b.gt(y, 0), 1, act.alpha);
    case "sigmoid":
      return b.mul(y, b.sub(1, y));
    case "tanh":
      return b.sub(1, b.mul(y, y));
  }
}

/** Backward through a fused activation: dy *= f'(y) over the whole output, in place. */
export function deriveBlock(act: FusedActivation | undefined, y: Region, dy: Region): Stmt[] {
  if (!act) return [];
  return [b.note(`dY *= ${act.op}'(Y)`), b.for("i", y.size, (i) => [scaleByDerivative(act, dy, y, i)])];
}
