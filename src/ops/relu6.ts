// relu6: min(max(x, 0), 6), same shape; one FLOP per element. Fusable (MobileNet's activation).
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = (): Activation => ({
  name: "relu6",
  // Math.max and Math.min pass a NaN through
  formula: (x) => b.math("min", b.math("max", x, 0), 6),
  // the slope is 1 strictly inside (0, 6), 0 on the flat parts (and at the corners, as TensorFlow)
  derivative: (y) => b.select(b.and(b.gt(y, 0), b.lt(y, 6)), 1, 0),
  scale: (g, y, i) => b.block(b.const("s", b.at(y, i)), b.if(b.or(b.le(b.ref("s"), 0), b.ge(b.ref("s"), 6)), [b.put(g, i, 0)])),
});

export const relu6: Op<"relu6", Record<string, never>> = defineOp<"relu6", Record<string, never>, Record<string, never>>({
  name: "relu6",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
