// softplus: log(1 + exp(x)), same shape. Fusable; its derivative (the sigmoid) reads x.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = (): Activation => ({
  name: "softplus",
  derivativeOf: "input",
  // max(x, 0) + log1p(exp(-|x|)): exp never sees a positive argument, so nothing overflows,
  // and log1p keeps the small tail exact for large negative x
  formula: (x) => b.add(b.math("max", x, 0), b.math("log1p", b.math("exp", b.neg(b.math("abs", x))))),
  // 1 / (1 + exp(-x)): exp(-x) may reach Infinity, which gives 0, not NaN
  derivative: (x) => b.div(1, b.add(1, b.math("exp", b.neg(x)))),
});

export const softplus: Op<"softplus", Record<string, never>> = defineOp<"softplus", Record<string, never>, Record<string, never>>({
  name: "softplus",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
