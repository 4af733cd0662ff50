// hard_sigmoid: min(max(x / 6 + 0.5, 0), 1), PyTorch's and Keras 3's (not TensorFlow.js'
// 0.2x + 0.5); same shape. Fusable.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import type { Expr } from "../kernel/ir.js";
import { defineOp, type Op } from "./op.js";

export const hardSigmoidOf = (x: Expr): Expr => b.math("min", b.math("max", b.add(b.div(x, 6), 0.5), 0), 1);

const math = (): Activation => ({
  name: "hard_sigmoid",
  formula: hardSigmoidOf,
  // 1/6 strictly inside the ramp, 0 where it is flat (y = 0 or y = 1)
  derivative: (y) => b.select(b.and(b.gt(y, 0), b.lt(y, 1)), 1 / 6, 0),
});

export const hardSigmoid: Op<"hard_sigmoid", Record<string, never>> = defineOp<"hard_sigmoid", Record<string, never>, Record<string, never>>({
  name: "hard_sigmoid",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
