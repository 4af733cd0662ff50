// avgpool(size, stride: size, padding: valid): the mean of each window's real cells, per channel.
import { defineOp, type Op } from "./op.js";
import { inferPool, poolFlops, poolSignature, type PoolArgs, type PoolAttrs } from "./pool.js";
import { avgpool as kernel } from "../emit/kernels/avgpool.js";

export const avgpool: Op<"avgpool", PoolAttrs> = defineOp<"avgpool", PoolArgs, PoolAttrs>({
  name: "avgpool",
  inputs: "pipe",
  signature: poolSignature,
  infer: ([input], args, ctx) => inferPool(input!, args, ctx),
  flops: (_inputs, output, attrs) => poolFlops(output, attrs),
  lower: { kernel },
});
