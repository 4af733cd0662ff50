// global_maxpool: the largest value of each channel over the whole image, [h, w, c] -> [c].
import { globalPoolFlops, inferGlobalPool } from "./global_pool.js";
import { defineOp, type Op } from "./op.js";
import { global_maxpool as kernel } from "../emit/kernels/global_maxpool.js";

export const globalMaxpool: Op<"global_maxpool", Record<string, never>> = defineOp<"global_maxpool", Record<string, never>, Record<string, never>>({
  name: "global_maxpool",
  inputs: "pipe",
  signature: {},
  infer: ([input], _args, ctx) => inferGlobalPool(input!, ctx),
  flops: ([input]) => globalPoolFlops(input!),
  lower: { kernel, scratch: { argmax: true } },
});
