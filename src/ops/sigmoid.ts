// sigmoid: 1 / (1 + exp(-x)), same shape; one FLOP per element. Fusable.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { defineOp, type Op } from "./op.js";

const math = (): Activation => ({
  name: "sigmoid",
  formula: (x) => b.div(1, b.add(1, b.math("exp", b.neg(x)))),
  derivative: (y) => b.mul(y, b.sub(1, y)),
  scale: (g, y, i) => b.block(b.const("s", b.at(y, i)), b.put(g, i, b.mul(b.ref("s"), b.sub(1, b.ref("s"))), "*=")),
});

export const sigmoid: Op<"sigmoid", Record<string, never>> = defineOp<"sigmoid", Record<string, never>, Record<string, never>>({
  name: "sigmoid",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
