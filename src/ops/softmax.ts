// softmax: exponentials normalised over the last axis, same shape; one FLOP per element.
import { elementCount } from "../check/sizes.js";
import { defineOp, type Op } from "./op.js";
import { softmax as kernel } from "../emit/kernels/softmax.js";

export const softmax: Op<"softmax", Record<string, never>> = defineOp<"softmax", Record<string, never>, Record<string, never>>({
  name: "softmax",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
  lower: { kernel },
});
