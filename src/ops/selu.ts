// selu: 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (exp(x) - 1)); same shape. Fusable.
import { elementCount } from "../check/sizes.js";
import { elementwise } from "../emit/kernels/elementwise.js";
import type { Activation } from "../kernel/activation.js";
import { defineOp, type Op } from "./op.js";
import { exponentialLinear } from "./elu.js";

// the constants of Klambauer et al. (2017), as Keras and PyTorch write them
const SCALE = 1.0507009873554805;
const ALPHA = 1.6732632423543772;

const math = (): Activation => exponentialLinear("selu", ALPHA, SCALE);

export const selu: Op<"selu", Record<string, never>> = defineOp<"selu", Record<string, never>, Record<string, never>>({
  name: "selu",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel: elementwise(math), activation: math },
});
