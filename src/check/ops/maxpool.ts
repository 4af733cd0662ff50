// maxpool(size, stride: size, padding: valid): the largest value of each window, per channel.
import { defineOp } from "./op.js";
import { inferPool, poolFlops, poolSignature, type PoolArgs } from "./pool.js";

export const maxpool = defineOp<"maxpool", PoolArgs>({
  name: "maxpool",
  inputs: "pipe",
  signature: poolSignature,
  infer: ([input], args, ctx) => inferPool(input!, args, ctx),
  flops: (_inputs, output, attrs) => poolFlops(output, attrs),
});
