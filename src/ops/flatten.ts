// flatten: any shape -> [product], row-major over [h, w, c] as Keras' Flatten; costs nothing.
import { elementCount } from "../check/sizes.js";
import { defineOp, type Op } from "./op.js";
import { flatten as kernel } from "../emit/kernels/flatten.js";

export const flatten: Op<"flatten", Record<string, never>> = defineOp<"flatten", Record<string, never>, Record<string, never>>({
  name: "flatten",
  inputs: "pipe",
  signature: {},
  infer: ([input]) => ({ shape: [elementCount(input!)], attrs: {} }),
  flops: () => 0,
  lower: { kernel, aliasesInput: true },
});
