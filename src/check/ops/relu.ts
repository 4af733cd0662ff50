// relu: max(x, 0), same shape; one FLOP per element.
import { elementCount } from "../sizes.js";
import { defineOp } from "./op.js";

export const relu = defineOp<"relu", Record<string, never>>({
  name: "relu",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
});
