// maxpool(size, stride: size, padding: valid): the largest value of each window, per channel.
import { defineOp, type Op } from "./op.js";
import { inferPool, poolFlops, poolSignature, type PoolArgs, type PoolAttrs } from "./pool.js";
import { maxpool as kernel } from "../emit/kernels/maxpool.js";

export const maxpool: Op<"maxpool", PoolAttrs> = defineOp<"maxpool", PoolArgs, PoolAttrs>({
  name: "maxpool",
  inputs: "pipe",
  signature: poolSignature,
  infer: ([input], args, ctx) => inferPool(input!, args, ctx),
  flops: (_inputs, output, attrs) => poolFlops(output, attrs),
  lower: { kernel, scratch: { argmax: true } },
});
