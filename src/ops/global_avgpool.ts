// global_avgpool: the mean of each channel over the whole image, [h, w, c] -> [c].
import { globalPoolFlops, inferGlobalPool } from "./global_pool.js";
import { defineOp, type Op } from "./op.js";
import { global_avgpool as kernel } from "../emit/kernels/global_avgpool.js";

export const globalAvgpool: Op<"global_avgpool", Record<string, never>> = defineOp<"global_avgpool", Record<string, never>, Record<string, never>>({
  name: "global_avgpool",
  inputs: "pipe",
  signature: {},
  infer: ([input], _args, ctx) => inferGlobalPool(input!, ctx),
  flops: ([input]) => globalPoolFlops(input!),
  lower: { kernel },
});
