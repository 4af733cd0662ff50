// leaky_relu(alpha: 0.01): x for x > 0, alpha * x otherwise; same shape. Fusable.
import { optional } from "../check/args/bind.js";
import { numberKind } from "../check/args/kinds.js";
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = ({ alpha }: { readonly alpha: number }): Activation => ({
  name: "leaky_relu",
  formula: (x) => b.select(b.lt(x, 0), b.mul(x, alpha), x),
  derivative: (y) => b.select(b.gt(y, 0), 1, alpha),
  scale: (g, y, i) => b.if(b.le(b.at(y, i), 0), [b.put(g, i, alpha, "*=")]),
});

export const leakyRelu: Op<"leaky_relu", { readonly alpha: number }> = defineOp<"leaky_relu", { readonly alpha: number }, { readonly alpha: number }>({
  name: "leaky_relu",
  inputs: "pipe",
  signature: { alpha: optional(numberKind({ min: 0 }), 0.01) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
