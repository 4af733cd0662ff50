// tanh: hyperbolic tangent, same shape; one FLOP per element. Fusable.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = (): Activation => ({
  name: "tanh",
  formula: (x) => b.math("tanh", x),
  derivative: (y) => b.sub(1, b.mul(y, y)),
  scale: (g, y, i) => b.block(b.const("t", b.at(y, i)), b.put(g, i, b.sub(1, b.mul(b.ref("t"), b.ref("t"))), "*=")),
});

export const tanh: Op<"tanh", Record<string, never>> = defineOp<"tanh", Record<string, never>, Record<string, never>>({
  name: "tanh",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
