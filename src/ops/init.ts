// Keras' default initialisers: Glorot-uniform kernels, zero biases.
import type { Shape } from "../check/types.js";
import type { ParamDraft } from "./op.js";

export function glorotKernel(shape: Shape, fanIn: number, fanOut: number): ParamDraft {
  return { role: "kernel", shape, init: { kind: "glorot_uniform", fanIn, fanOut } };
}

export function zeroBias(size: number): ParamDraft {
  return { role: "bias", shape: [size], init: { kind: "zeros" } };
}

/** A per-channel parameter that starts at `value` (batchnorm's gamma and beta, and its state). */
export function channelParam(role: "gamma" | "beta" | "moving_mean" | "moving_variance", size: number): ParamDraft {
  const init = role === "gamma" || role === "moving_variance" ? ({ kind: "ones" } as const) : ({ kind: "zeros" } as const);
  const state = role === "moving_mean" || role === "moving_variance";
  return state ? { role, shape: [size], init, state: true } : { role, shape: [size], init };
}
