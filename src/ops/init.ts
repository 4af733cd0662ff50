// Keras' default initialisers: Glorot-uniform kernels, zero biases.
import type { Shape } from "../check/types.js";
import type { ParamDraft } from "./op.js";

export function glorotKernel(shape: Shape, fanIn: number, fanOut: number): ParamDraft {
  return { role: "kernel", shape, init: { kind: "glorot_uniform", fanIn, fanOut } };
}

export function zeroBias(size: number): ParamDraft {
  return { role: "bias", shape: [size], init: { kind: "zeros" } };
}
