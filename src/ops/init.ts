// The options of every layer with parameters, `init:` and `trainable:`, and the parameters they
// make. Keras' initialisers: a kernel's fans come from its shape alone (so every op, whatever
// its kernel layout, calls the one function with that shape), biases start at zeros.
import { optional, type ArgSpec } from "../check/args/bind.js";
import { boolKind, choiceKind } from "../check/args/kinds.js";
import type { KernelInit, Param, ParamOptions, Shape } from "../check/types.js";
import type { ParamDraft } from "./op.js";

export const kernelInits: readonly KernelInit[] = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "zeros"];

/** Spread into the signature of an op with parameters, after its own arguments. */
export const paramOptions: { readonly [K in keyof ParamOptions]: ArgSpec<ParamOptions[K]> } = {
  init: optional(choiceKind(kernelInits), "glorot_uniform" as KernelInit),
  trainable: optional(boolKind, true),
};

/** Keras' fans: receptive = the product of all but the last two dimensions, fan_in = receptive
 *  * shape[-2], fan_out = receptive * shape[-1] (a dense kernel [in, units] has receptive 1). */
export function fans(shape: Shape): { readonly fanIn: number; readonly fanOut: number } {
  if (shape.length < 2) throw new Error(`internal: a kernel of rank ${shape.length}`);
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}

/** A kernel of `shape`, initialised as `options.init` says from the fans of that shape. */
export function kernelParam(shape: Shape, options: ParamOptions, role: Param["role"] = "kernel"): ParamDraft {
  const init: Param["init"] = options.init === "zeros" ? { kind: "zeros" } : { kind: options.init, ...fans(shape) };
  return { role, shape, init, trainable: options.trainable };
}

/** A bias (or a batch-norm shift) of `size` values, starting at 0. */
export function zeroBias(size: number, options: Pick<ParamOptions, "trainable">, role: Param["role"] = "bias"): ParamDraft {
  return { role, shape: [size], init: { kind: "zeros" }, trainable: options.trainable };
}

/** Keras' VarianceScaling for each random initialiser: the scale and which fan it divides by. */
export function varianceScaling(kind: Exclude<KernelInit, "zeros">, fanIn: number, fanOut: number): { readonly variance: number; readonly distribution: "uniform" | "normal" } {
  const [family, distribution] = kind.split("_") as ["glorot" | "he" | "lecun", "uniform" | "normal"];
  const variance = family === "glorot" ? 2 / (fanIn + fanOut) : family === "he" ? 2 / fanIn : 1 / fanIn;
  return { variance, distribution };
}

/** A per-channel parameter that starts at `value` (batchnorm's gamma and beta, and its state). */
export function channelParam(role: "gamma" | "beta" | "moving_mean" | "moving_variance", size: number, options: Pick<ParamOptions, "trainable">): ParamDraft {
  const init = role === "gamma" || role === "moving_variance" ? ({ kind: "ones" } as const) : ({ kind: "zeros" } as const);
  const state = role === "moving_mean" || role === "moving_variance";
  // the moving statistics are stored with the weights but never trained (Keras' non-trainable weights)
  return state ? { role, shape: [size], init, state: true, trainable: false } : { role, shape: [size], init, trainable: options.trainable };
}
