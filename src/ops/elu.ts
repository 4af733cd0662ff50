// elu(alpha: 1): x for x > 0, alpha * (exp(x) - 1) otherwise; same shape. Fusable.
import { optional } from "../check/args/bind.js";
import { numberKind } from "../check/args/kinds.js";
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import type { Expr } from "../kernel/ir.js";
import { defineOp, type Op } from "./op.js";

/** x > 0 ? scale * x : scale * alpha * (exp(x) - 1): elu (scale 1) and selu share it. */
export function exponentialLinear(name: string, alpha: number, scale: number): Activation {
  const outer = (x: Expr): Expr => (scale === 1 ? x : b.mul(x, scale));
  const negative = (x: Expr): Expr => b.mul(b.sub(b.math("exp", x), 1), alpha * scale);
  // With alpha >= 0 the output is positive exactly where x is, and below 0 the slope
  // scale * alpha * exp(x) is y + scale * alpha: a function of y, so nothing more is kept.
  // A negative alpha makes y > 0 for some x < 0, so the derivative reads x instead.
  if (alpha >= 0)
    return {
      name,
      formula: (x) => b.select(b.gt(x, 0), outer(x), negative(x)),
      derivative: (y) => b.select(b.gt(y, 0), scale, b.add(y, alpha * scale)),
    };
  return {
    name,
    derivativeOf: "input",
    formula: (x) => b.select(b.gt(x, 0), outer(x), negative(x)),
    derivative: (x) => b.select(b.gt(x, 0), scale, b.mul(b.math("exp", x), alpha * scale)),
  };
}

const math = ({ alpha }: { readonly alpha: number }): Activation => exponentialLinear("elu", alpha, 1);

export const elu: Op<"elu", { readonly alpha: number }> = defineOp<"elu", { readonly alpha: number }, { readonly alpha: number }>({
  name: "elu",
  inputs: "pipe",
  signature: { alpha: optional(numberKind({}), 1) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
