// silu: x * sigmoid(x), also spelled `swish` (one definition; src/ops/index.ts maps the second
// name to it); same shape. Fusable; its derivative reads x.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import type { Expr } from "../kernel/ir.js";
import { defineOp, type Op } from "./op.js";

const sigmoidOf = (x: Expr): Expr => b.div(1, b.add(1, b.math("exp", b.neg(x))));

const math = (): Activation => ({
  name: "silu",
  derivativeOf: "input",
  formula: (x) => b.mul(x, sigmoidOf(x)),
  // s + x s (1 - s), s = sigmoid(x)
  derivative: (x) => b.mul(sigmoidOf(x), b.add(1, b.mul(x, b.sub(1, sigmoidOf(x))))),
  scale: (g, x, i) =>
    b.block(
      b.const("v", b.at(x, i)),
      b.const("s", sigmoidOf(b.ref("v"))),
      b.put(g, i, b.mul(b.ref("s"), b.add(1, b.mul(b.ref("v"), b.sub(1, b.ref("s"))))), "*="),
    ),
});

export const silu: Op<"silu", Record<string, never>> = defineOp<"silu", Record<string, never>, Record<string, never>>({
  name: "silu",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
