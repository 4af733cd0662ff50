// The op registry: one line per op. Adding an op is one file in this folder and one line here.
import type { OpName } from "../check/types.js";
import { add } from "./add.js";
import { avgpool } from "./avgpool.js";
import { batchnorm } from "./batchnorm.js";
import { concat } from "./concat.js";
import { conv2d } from "./conv2d.js";
import { dense } from "./dense.js";
import { dropout } from "./dropout.js";
import { flatten } from "./flatten.js";
import { globalAvgpool } from "./global_avgpool.js";
import { globalMaxpool } from "./global_maxpool.js";
import { leakyRelu } from "./leaky_relu.js";
import { maxpool } from "./maxpool.js";
import type { Op } from "./op.js";
import { relu } from "./relu.js";
import { sigmoid } from "./sigmoid.js";
import { softmax } from "./softmax.js";
import { tanh } from "./tanh.js";

export const ops: Readonly<Record<OpName, Op>> = {
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
  dropout,
  add,
  concat,
  batchnorm,
};

export const opNames: readonly string[] = Object.keys(ops);

export function findOp(name: string): Op | undefined {
  return Object.hasOwn(ops, name) ? ops[name as OpName] : undefined;
}
