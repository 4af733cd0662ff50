// The op registry: one line per op. Adding an op is one file in this folder and one line here.
import { add } from "./add.js";
import { avgpool } from "./avgpool.js";
import { batchnorm } from "./batchnorm.js";
import { concat } from "./concat.js";
import { conv1d } from "./conv1d.js";
import { conv2d } from "./conv2d.js";
import { conv2dTranspose } from "./conv2d_transpose.js";
import { dense } from "./dense.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { dropout } from "./dropout.js";
import { elu } from "./elu.js";
import { flatten } from "./flatten.js";
import { gelu } from "./gelu.js";
import { globalAvgpool } from "./global_avgpool.js";
import { globalMaxpool } from "./global_maxpool.js";
import { hardSigmoid } from "./hard_sigmoid.js";
import { hardSwish } from "./hard_swish.js";
import { leakyRelu } from "./leaky_relu.js";
import { maxpool } from "./maxpool.js";
import type { AttrsOfOp, Op } from "./op.js";
import { relu } from "./relu.js";
import { relu6 } from "./relu6.js";
import { selu } from "./selu.js";
import { separableConv2d } from "./separable_conv2d.js";
import { sigmoid } from "./sigmoid.js";
import { silu } from "./silu.js";
import { softmax } from "./softmax.js";
import { softplus } from "./softplus.js";
import { tanh } from "./tanh.js";
import { upsample } from "./upsample.js";

export const ops = {
  conv2d,
  maxpool,
  avgpool,
  global_avgpool: globalAvgpool,
  global_maxpool: globalMaxpool,
  flatten,
  dense,
  relu,
  sigmoid,
  tanh,
  softmax,
  leaky_relu: leakyRelu,
  relu6,
  elu,
  selu,
  gelu,
  silu,
  hard_sigmoid: hardSigmoid,
  hard_swish: hardSwish,
  softplus,
  dropout,
  add,
  concat,
  depthwise_conv2d: depthwiseConv2d,
  separable_conv2d: separableConv2d,
  conv2d_transpose: conv2dTranspose,
  conv1d,
  upsample,
  batchnorm,
} as const;

/** Every op's name. */
export type OpName = keyof typeof ops;

/** A layer's op and resolved attributes, as the op's definition declares them. */
export type LayerSpec = { readonly [K in OpName]: { readonly op: K; readonly attrs: AttrsOfOp<(typeof ops)[K]> } }[OpName];

/** An op of the registry, its attributes' type known from its name. */
export type RegisteredOp = (typeof ops)[OpName];

/** Second spellings of an op: one definition, so the layer is the op's own (`silu`). */
export const aliases: Readonly<Record<string, OpName>> = { swish: "silu" };

export const opNames: readonly string[] = [...Object.keys(ops), ...Object.keys(aliases)];

export function findOp(name: string): RegisteredOp | undefined {
  if (Object.hasOwn(aliases, name)) return ops[aliases[name]!];
  return Object.hasOwn(ops, name) ? ops[name as OpName] : undefined;
}
