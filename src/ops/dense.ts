// dense(units, bias: true): [n] -> [units], kernel [n, units] in Keras layout.
import { optional, required } from "../check/args/bind.js";
import { boolKind, sizeKind } from "../check/args/kinds.js";
import { kernelParam, paramOptions, zeroBias } from "./init.js";
import type { ParamOptions } from "../check/types.js";
import { defineOp, lastAxisFold, type Op } from "./op.js";
import { requireVector } from "./rank.js";
import { dense as kernel } from "../emit/kernels/dense.js";
import { BLOCK_DY, BLOCK_X, blockSlot } from "../emit/kernels/dense-simd.js";

export interface DenseAttrs extends ParamOptions {
  readonly units: number;
  readonly bias: boolean;
}

export const dense: Op<"dense", DenseAttrs> = defineOp<"dense", DenseAttrs, DenseAttrs>({
  name: "dense",
  inputs: "pipe",
  signature: {
    units: required(sizeKind(1)),
    bias: optional(boolKind, true),
    ...paramOptions,
  },
  infer([input], args, ctx) {
    return requireVector(input!, ctx) === undefined ? undefined : { shape: [args.units], attrs: args };
  },
  params([input], attrs) {
    const kernel = kernelParam([input![0]!, attrs.units], attrs);
    return attrs.bias ? [kernel, zeroBias(attrs.units, attrs)] : [kernel];
  },
  flops: ([input], _output, attrs) => 2 * input![0]! * attrs.units + (attrs.bias ? attrs.units : 0),
  lower: {
    kernel,
    fusesActivation: true,
    foldsChannelScale: lastAxisFold,
    // the batch block's slots: each sample's input and output gradient (dense-simd.ts)
    scratch: { block: (input, output) => [{ name: BLOCK_X, size: blockSlot(input[0]!) }, { name: BLOCK_DY, size: blockSlot(output[0]!) }] },
  },
});
