// avgpool(size, stride: size, padding: valid): the mean of each window's real cells, per channel.
import { defineOp } from "./op.js";
import { inferPool, poolFlops, poolSignature, type PoolArgs } from "./pool.js";
import { avgpool as kernel } from "../emit/kernels/avgpool.js";

export const avgpool = defineOp<"avgpool", PoolArgs>({
  name: "avgpool",
  inputs: "pipe",
  signature: poolSignature,
  infer: ([input], args, ctx) => inferPool(input!, args, ctx),
  flops: (_inputs, output, attrs) => poolFlops(output, attrs),
  lower: { kernel },
});
