// leaky_relu(alpha: 0.01): x for x > 0, alpha * x otherwise; same shape.
import { optional } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import { elementCount } from "../sizes.js";
import { defineOp } from "./op.js";

export const leakyRelu = defineOp<"leaky_relu", { readonly alpha: number }>({
  name: "leaky_relu",
  inputs: "pipe",
  signature: { alpha: optional(numberKind({ min: 0 }), 0.01) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  flops: (_inputs, output) => elementCount(output),
});
