// dropout(rate): zeroes a `rate` fraction while training (scaling the rest); identity when predicting.
import { required } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import { defineOp } from "./op.js";

export const dropout = defineOp<"dropout", { readonly rate: number }>({
  name: "dropout",
  inputs: "pipe",
  signature: { rate: required(numberKind({ min: 0, max: 1, maxOpen: true })) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  // FLOPs are counted for prediction, where dropout does nothing
  flops: () => 0,
});
