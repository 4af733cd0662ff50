// gelu(approximate: false): 0.5 x (1 + erf(x / sqrt(2))), or with approximate: true
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); same shape. Fusable; its derivative reads x.
// The exact form's erf is generated code (src/kernel/erf.ts): there is no Math.erf.
import { optional } from "../check/args/bind.js";
import { boolKind } from "../check/args/kinds.js";
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { b } from "../kernel/build.js";
import { erf } from "../kernel/erf.js";
import type { Expr } from "../kernel/ir.js";
import { defineOp, type Op } from "./op.js";

const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/** tanh(sqrt(2/pi) (x + 0.044715 x^3)) */
const tanhOf = (x: Expr): Expr => b.math("tanh", b.mul(b.add(x, b.mul(b.mul(b.mul(x, x), x), K)), C));

const exact: Activation = {
  name: "gelu",
  derivativeOf: "input",
  formula: (x, precision) => b.mul(b.mul(x, 0.5), b.add(1, erf(x, precision, Math.SQRT1_2))),
  // Phi(x) + x phi(x): 0.5 (1 + erf(x / sqrt(2))) + x exp(-x^2 / 2) / sqrt(2 pi)
  derivative: (x, precision) =>
    b.add(b.mul(b.add(1, erf(x, precision, Math.SQRT1_2)), 0.5), b.mul(b.mul(x, b.math("exp", b.mul(b.mul(x, x), -0.5))), 1 / Math.sqrt(2 * Math.PI))),
  scale: (g, x, i, precision) => b.block(b.const("v", b.at(x, i)), b.put(g, i, exact.derivative(b.ref("v"), precision), "*=")),
};

const approximate: Activation = {
  name: "gelu",
  derivativeOf: "input",
  formula: (x) => b.mul(b.mul(x, 0.5), b.add(1, tanhOf(x))),
  // 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2), t the tanh above
  derivative: (x) => derivativeWith(x, tanhOf(x), tanhOf(x)),
  scale: (g, x, i) => b.block(b.const("v", b.at(x, i)), b.const("t", tanhOf(b.ref("v"))), b.put(g, i, derivativeWith(b.ref("v"), b.ref("t"), b.ref("t")), "*=")),
};

function derivativeWith(x: Expr, t: Expr, t2: Expr): Expr {
  const slope = b.mul(b.add(1, b.mul(b.mul(x, x), 3 * K)), C);
  return b.add(b.mul(b.add(1, t), 0.5), b.mul(b.mul(b.mul(x, 0.5), b.sub(1, b.mul(t, t2))), slope));
}

const math = ({ approximate: approx }: { readonly approximate: boolean }): Activation => (approx ? approximate : exact);

export const gelu: Op<"gelu", { readonly approximate: boolean }> = defineOp<"gelu", { readonly approximate: boolean }, { readonly approximate: boolean }>({
  name: "gelu",
  inputs: "pipe",
  signature: { approximate: optional(boolKind, false) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
