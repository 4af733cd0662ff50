// batchnorm(momentum: 0.99, epsilon: 0.001, center: true, scale: true): same shape, normalised
// per channel (the last axis) with the batch's statistics while training and the moving ones
// when predicting (LANGUAGE.md, "batchnorm"). Parameters: gamma, beta (trainable), moving_mean,
// moving_variance (state, updated once per training step), in Keras' order.
import { optional } from "../check/args/bind.js";
import { boolKind, numberKind } from "../check/args/kinds.js";
import { elementCount } from "../check/sizes.js";
import { batchnorm as kernel, batchnormBatch } from "../emit/kernels/batchnorm.js";
import { channelParam, paramOptions } from "./init.js";
import { defineOp, type Op } from "./op.js";

export interface BatchnormAttrs {
  readonly momentum: number;
  readonly epsilon: number;
  /** with a `beta` (a learned shift) */
  readonly center: boolean;
  /** with a `gamma` (a learned scale) */
  readonly scale: boolean;
  /** false: frozen (`trainable: false`), normalising with the moving statistics in training too */
  readonly trainable: boolean;
}

/** the number of channels: the last axis */
const channels = (shape: readonly number[]): number => shape[shape.length - 1]!;

export const batchnorm: Op<"batchnorm", BatchnormAttrs> = defineOp<"batchnorm", BatchnormAttrs, BatchnormAttrs>({
  name: "batchnorm",
  inputs: "pipe",
  signature: {
    momentum: optional(numberKind({ min: 0, max: 1, maxOpen: true }), 0.99),
    epsilon: optional(numberKind({ min: 0, minOpen: true }), 0.001),
    center: optional(boolKind, true),
    scale: optional(boolKind, true),
    // a batch norm has no kernel, so of the options of layers with parameters only `trainable:`
    trainable: paramOptions.trainable,
  },
  infer: ([input], args) => ({ shape: input!, attrs: args }),
  params([input], attrs) {
    const c = channels(input!);
    return [
      ...(attrs.scale ? [channelParam("gamma", c, attrs)] : []),
      ...(attrs.center ? [channelParam("beta", c, attrs)] : []),
      channelParam("moving_mean", c, attrs),
      channelParam("moving_variance", c, attrs),
    ];
  },
  // a scale and a shift per element when predicting (LANGUAGE.md's count)
  flops: (_inputs, output) => 2 * elementCount(output),
  lower: {
    kernel,
    // mean, variance, 1 / sqrt(variance + epsilon), and the backward's two sums, per channel
    batch: { kernel: batchnormBatch, scratch: (input) => 5 * channels(input) },
  },
});
