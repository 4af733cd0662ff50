// sigmoid: 1 / (1 + exp(-x)), same shape; one FLOP per element.
import { elementCount } from "../sizes.js";
import { defineOp } from "./op.js";

export const sigmoid = defineOp<"sigmoid", Record<string, never>>({
  name: "sigmoid",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
});
