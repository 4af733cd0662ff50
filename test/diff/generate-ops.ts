// Random single layers for a given input shape. A candidate is kept only when its output shape
// is valid, within the element limit, and its FLOPs fit the network's remaining budget.
import type { Rng } from "./random.js";
import type { Conv1dCall, Conv2dCall, Conv2dTransposeCall, DepthwiseConv2dCall, Dims, PaddingSpec, PoolCall, SeparableConv2dCall, UnaryCall } from "./network.js";
import { product, unaryShape } from "./shapes.js";

export interface Budget {
  layersLeft: number;
  flopsLeft: number;
}

export const limits = {
  maxLayers: 10,
  maxElements: 65_536,
  /** forward FLOPs per sample, a multiply-add counted as 2 */
  maxFlops: 1_500_000,
  maxDenseParams: 65_536,
};

const attempts = 8;

type Kind = UnaryCall["op"];

const imageWeights: Partial<Record<Kind, number>> = {
  conv2d: 5,
  maxpool: 2,
  avgpool: 2,
  relu: 1.5,
  sigmoid: 0.5,
  tanh: 0.7,
  softmax: 0.3,
  leaky_relu: 0.7,
  relu6: 0.3,
  elu: 0.3,
  selu: 0.2,
  gelu: 0.3,
  silu: 0.2,
  swish: 0.2,
  hard_sigmoid: 0.2,
  hard_swish: 0.2,
  softplus: 0.2,
  dropout: 0.5,
  global_avgpool: 0.3,
  global_maxpool: 0.3,
  flatten: 0.4,
  depthwise_conv2d: 1.2,
  separable_conv2d: 1.2,
  conv2d_transpose: 0.8,
  upsample: 0.7,
  batchnorm: 0.8,
};

const sequenceWeights: Partial<Record<Kind, number>> = {
  conv1d: 5,
  maxpool: 1.5,
  avgpool: 1.5,
  relu: 1.5,
  sigmoid: 0.5,
  tanh: 0.7,
  softmax: 0.3,
  leaky_relu: 0.5,
  relu6: 0.2,
  elu: 0.2,
  gelu: 0.2,
  silu: 0.2,
  swish: 0.2,
  softplus: 0.2,
  dropout: 0.5,
  global_avgpool: 0.3,
  global_maxpool: 0.3,
  flatten: 0.4,
  batchnorm: 0.8,
};

const vectorWeights: Partial<Record<Kind, number>> = {
  dense: 4,
  relu: 1,
  sigmoid: 0.5,
  tanh: 0.5,
  softmax: 0.3,
  leaky_relu: 0.5,
  relu6: 0.2,
  elu: 0.2,
  selu: 0.2,
  gelu: 0.2,
  silu: 0.2,
  swish: 0.2,
  hard_sigmoid: 0.2,
  hard_swish: 0.2,
  softplus: 0.2,
  dropout: 0.5,
  flatten: 0.2,
  batchnorm: 0.5,
};

/** A random layer that takes `shape`; null when nothing fits the budget. */
export function pickUnary(rng: Rng, shape: Dims, budget: Budget, training: boolean): UnaryCall | null {
  const weights = (shape.length === 3 ? imageWeights : shape.length === 2 ? sequenceWeights : vectorWeights) as Record<Kind, number>;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const call = candidate(rng, rng.weighted(weights), shape, budget, training);
    if (call && accept(call, shape, budget)) return call;
  }
  return { op: "relu" };
}

function candidate(rng: Rng, kind: Kind, shape: Dims, budget: Budget, training: boolean): UnaryCall | null {
  switch (kind) {
    case "conv2d":
      return randomConv(rng, shape, budget, {});
    case "conv1d":
      return randomConv1d(rng, shape, budget, {});
    case "upsample":
      return {
        op: "upsample",
        size: rng.chance(0.7) ? [2, 2] : [rng.int(1, 3), rng.int(1, 3)],
        interpolation: rng.chance(0.5) ? "nearest" : "bilinear",
      };
    case "maxpool":
    case "avgpool":
      return shape.length === 2 ? randomPool1d(rng, kind) : randomPool(rng, kind);
    case "depthwise_conv2d":
    case "separable_conv2d":
      return randomDepthwise(rng, kind);
    case "conv2d_transpose":
      return randomTranspose(rng);
    case "dense": {
      const fanIn = product(shape);
      const most = Math.min(64, Math.floor(limits.maxDenseParams / fanIn));
      return most < 1 ? null : { op: "dense", units: rng.int(1, most), bias: rng.chance(0.85) };
    }
    case "leaky_relu":
      return { op: "leaky_relu", alpha: rng.chance(0.4) ? null : rng.pick([0.1, 0.2, 0.3]) };
    case "elu":
      return { op: "elu", alpha: rng.chance(0.5) ? null : rng.pick([0.5, 2]) };
    case "gelu":
      return { op: "gelu", approximate: rng.chance(0.5) };
    case "dropout":
      // training comparisons need a deterministic network: dropout with rate 0 is the identity
      return { op: "dropout", rate: training ? 0 : rng.pick([0.1, 0.25, 0.5]) };
    case "batchnorm":
      return {
        op: "batchnorm",
        momentum: rng.chance(0.5) ? null : rng.pick([0, 0.5, 0.9]),
        epsilon: rng.chance(0.6) ? null : rng.pick([0.01, 0.1]),
        center: rng.chance(0.8),
        scale: rng.chance(0.8),
      };
    default:
      return { op: kind } as UnaryCall;
  }
}

/** A conv2d for `shape`; `fixed` pins some attributes (arms of a merge keep their size). */
export function randomConv(
  rng: Rng,
  shape: Dims,
  budget: Budget,
  fixed: { stride?: number; padding?: PaddingSpec; filters?: number | undefined },
): Conv2dCall | null {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const k = rng.int(1, 5);
    const dilation = fixed.stride === undefined && rng.chance(0.2) ? 2 : 1;
    // tfjs-layers refuses stride > 1 together with dilation > 1
    const stride = fixed.stride ?? (dilation > 1 ? 1 : rng.pick([1, 1, 1, 1, 1, 1, 2, 2, 2, 3]));
    const padding = fixed.padding ?? randomPadding(rng);
    const call: Conv2dCall = {
      op: "conv2d",
      filters: fixed.filters ?? rng.int(1, 16),
      kernel: rng.chance(0.7) ? [k, k] : [rng.int(1, 5), rng.int(1, 5)],
      stride,
      padding,
      dilation: fixed.stride === undefined ? dilation : rng.chance(0.2) ? 2 : 1,
      bias: rng.chance(0.85),
    };
    const grouped = withGroups(rng, call, shape[2] ?? 0);
    if (accept(grouped, shape, budget)) return grouped;
  }
  return null;
}

/** Sometimes, groups 2 or 4 where they divide the input channels and the filters. */
function withGroups(rng: Rng, call: Conv2dCall, channels: number): Conv2dCall {
  if (!rng.chance(0.25)) return call;
  const fits = [2, 4].filter((g) => channels % g === 0 && call.filters % g === 0);
  return fits.length === 0 ? call : { ...call, groups: rng.pick(fits) };
}

function randomDepthwise(rng: Rng, op: "depthwise_conv2d" | "separable_conv2d"): DepthwiseConv2dCall | SeparableConv2dCall {
  const k = rng.int(1, 4);
  // tfjs refuses stride > 1 together with dilation > 1
  const dilation = rng.chance(0.2) ? 2 : 1;
  const base = {
    kernel: (rng.chance(0.7) ? [k, k] : [rng.int(1, 4), rng.int(1, 4)]) as [number, number],
    stride: dilation > 1 ? 1 : rng.pick([1, 1, 1, 2, 2, 3]),
    padding: randomPadding(rng),
    dilation,
    depthMultiplier: rng.pick([1, 1, 2]),
    bias: rng.chance(0.85),
  };
  return op === "depthwise_conv2d" ? { op, ...base } : { op, filters: rng.int(1, 16), ...base };
}

function randomTranspose(rng: Rng): Conv2dTransposeCall {
  const k = rng.int(1, 4);
  return {
    op: "conv2d_transpose",
    filters: rng.int(1, 8),
    kernel: rng.chance(0.7) ? [k, k] : [rng.int(1, 4), rng.int(1, 4)],
    stride: rng.pick([1, 1, 2, 2, 3]),
    padding: rng.chance(0.5) ? "valid" : "same",
    bias: rng.chance(0.85),
  };
}

/** A conv1d for a sequence; `fixed` pins the stride, padding and filters (arms of a merge). */
export function randomConv1d(
  rng: Rng,
  shape: Dims,
  budget: Budget,
  fixed: { stride?: number; padding?: Conv1dCall["padding"]; filters?: number | undefined },
): Conv1dCall | null {
  const channels = shape[1] ?? 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const groups = rng.pick([1, 1, 1, 2, 4].filter((g) => channels % g === 0));
    const filters = fixed.filters ?? groups * rng.int(1, Math.max(1, Math.floor(16 / groups)));
    const kind = rng.weighted({ valid: 3, same: 3, causal: 3, int: 2 });
    const padding = fixed.padding ?? (kind === "int" ? rng.int(1, 2) : kind);
    const call: Conv1dCall = {
      op: "conv1d",
      filters,
      kernel: rng.int(1, 5),
      stride: fixed.stride ?? rng.pick([1, 1, 1, 2, 3]),
      padding,
      dilation: rng.chance(0.3) ? rng.pick([2, 3]) : 1,
      groups: filters % groups === 0 ? groups : 1,
      bias: rng.chance(0.85),
    };
    if (accept(call, shape, budget)) return call;
  }
  return null;
}

function randomPool1d(rng: Rng, op: "maxpool" | "avgpool"): PoolCall {
  const k = rng.int(1, 4);
  return { op, size: [k, k], stride: rng.chance(0.6) ? null : rng.int(1, 3), padding: rng.chance(0.5) ? "valid" : "same" };
}

function randomPadding(rng: Rng): PaddingSpec {
  const kind = rng.weighted({ valid: 4, same: 4, int: 2 });
  return kind === "int" ? rng.int(0, 2) : kind;
}

function randomPool(rng: Rng, op: "maxpool" | "avgpool"): PoolCall {
  const k = rng.int(1, 4);
  return {
    op,
    size: rng.chance(0.8) ? [k, k] : [rng.int(1, 4), rng.int(1, 4)],
    stride: rng.chance(0.6) ? null : rng.int(1, 3),
    padding: rng.chance(0.5) ? "valid" : "same",
  };
}

/** Keep a call if its output is valid and small, and charge its FLOPs to the budget. */
function accept(call: UnaryCall, shape: Dims, budget: Budget): boolean {
  const out = unaryShape(call, shape);
  if (!out || product(out) > limits.maxElements) return false;
  const cost = flops(call, shape, out);
  if (cost > budget.flopsLeft) return false;
  budget.flopsLeft -= cost;
  return true;
}

export function flops(call: UnaryCall, input: Dims, output: Dims): number {
  if (call.op === "conv2d") return (2 * product(output) * call.kernel[0] * call.kernel[1] * input[2]!) / (call.groups ?? 1);
  if (call.op === "depthwise_conv2d") return 2 * product(output) * call.kernel[0] * call.kernel[1];
  if (call.op === "separable_conv2d") {
    const depthwise = output[0]! * output[1]! * input[2]! * call.depthMultiplier;
    return 2 * depthwise * call.kernel[0] * call.kernel[1] + 2 * depthwise * call.filters;
  }
  if (call.op === "conv2d_transpose") return 2 * product(input) * call.kernel[0] * call.kernel[1] * call.filters;
  if (call.op === "conv1d") return 2 * product(output) * call.kernel * (input[1]! / call.groups);
  if (call.op === "upsample") return call.interpolation === "bilinear" ? 8 * product(output) : product(output);
  if (call.op === "dense") return 2 * product(input) * call.units;
  if (call.op === "maxpool" || call.op === "avgpool") return product(output) * call.size[0] * (output.length === 2 ? 1 : call.size[1]);
  return product(output);
}
