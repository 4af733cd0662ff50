// tanh: hyperbolic tangent, same shape; one FLOP per element.
import { elementCount } from "../sizes.js";
import { defineOp } from "./op.js";

export const tanh = defineOp<"tanh", Record<string, never>>({
  name: "tanh",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: input!, attrs: {} }),
  flops: (_inputs, output) => elementCount(output),
});
