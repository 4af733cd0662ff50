// dropout(rate): zeroes a `rate` fraction while training (scaling the rest); identity when predicting.
import { required } from "../check/args/bind.js";
import { numberKind } from "../check/args/kinds.js";
import { defineOp, type Op } from "./op.js";
import { dropout as kernel } from "../emit/kernels/dropout.js";

export const dropout: Op<"dropout", { readonly rate: number }> = defineOp<"dropout", { readonly rate: number }, { readonly rate: number }>({
  name: "dropout",
  inputs: "pipe",
  signature: { rate: required(numberKind({ min: 0, max: 1, maxOpen: true })) },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  // FLOPs are counted for prediction, where dropout does nothing
  flops: () => 0,
  lower: { kernel, trainingMode: true, scratch: { mask: true } },
});
