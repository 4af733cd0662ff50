// The kernel registry: one line per op.
import type { OpName } from "../../check/types.js";
import { add } from "./add.js";
import { avgpool } from "./avgpool.js";
import { concat } from "./concat.js";
import { conv2d } from "./conv2d.js";
import { dense } from "./dense.js";
import { dropout } from "./dropout.js";
import { flatten } from "./flatten.js";
import { global_avgpool } from "./global_avgpool.js";
import { global_maxpool } from "./global_maxpool.js";
import { leaky_relu } from "./leaky_relu.js";
import { maxpool } from "./maxpool.js";
import { relu } from "./relu.js";
import { sigmoid } from "./sigmoid.js";
import { softmax } from "./softmax.js";
import { tanh } from "./tanh.js";
import type { Kernel } from "./types.js";

export const kernels: Record<OpName, Kernel> = {
  conv2d,
  maxpool,
  avgpool,
  global_avgpool,
  global_maxpool,
  flatten,
  dense,
  relu,
  sigmoid,
  tanh,
  softmax,
  leaky_relu,
  dropout,
  add,
  concat,
};
