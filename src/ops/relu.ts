// relu: max(x, 0), same shape; one FLOP per element. Fusable into conv2d and dense.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = (): Activation => ({
  name: "relu",
  // (x + |x|) / 2 has no branch, so it costs the same whatever the sign pattern of the data
  // (the compare-and-branch form mispredicts on about half of real activations). It is exact
  // for every finite sum of float32 products; it is kept out of f64 builds, where 2x can
  // overflow, and it gives NaN rather than 0 for a sum of -Infinity (a diverged network).
  formula: (x, precision) => (precision === "f32" ? b.mul(b.add(x, b.math("abs", x)), 0.5) : b.select(b.lt(x, 0), 0, x)),
  derivative: (y) => b.select(b.gt(y, 0), 1, 0),
  scale: (g, y, i) => b.if(b.le(b.at(y, i), 0), [b.put(g, i, 0)]),
});

export const relu: Op<"relu", Record<string, never>> = defineOp<"relu", Record<string, never>, Record<string, never>>({
  name: "relu",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
