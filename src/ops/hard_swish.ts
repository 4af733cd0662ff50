// hard_swish: x * hard_sigmoid(x), MobileNetV3's; same shape. Fusable; its derivative reads x.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";
import { hardSigmoidOf } from "./hard_sigmoid.js";

const math = (): Activation => ({
  name: "hard_swish",
  derivativeOf: "input",
  formula: (x) => b.mul(x, hardSigmoidOf(x)),
  // 0 below -3, 1 above 3, (2x + 3) / 6 on the ramp; a NaN falls through to the ramp
  derivative: (x) => b.select(b.lt(x, -3), 0, b.select(b.gt(x, 3), 1, b.div(b.add(b.mul(x, 2), 3), 6))),
});

export const hardSwish: Op<"hard_swish", Record<string, never>> = defineOp<"hard_swish", Record<string, never>, Record<string, never>>({
  name: "hard_swish",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
