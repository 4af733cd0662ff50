// What the checker hands to the IR: every tensor with a concrete shape, every layer with its
// resolved arguments (defaults filled in), parameters named as LANGUAGE.md says.
import type { Span } from "../source/span.js";

export type Shape = readonly number[];

export type TensorId = number;

export interface CheckedProgram {
  readonly models: readonly CheckedModel[];
}

export interface CheckedModel {
  readonly name: string;
  readonly span: Span;
  /** every value: the input, each named binding, and each intermediate layer output */
  readonly tensors: readonly Tensor[];
  /** in source order, which is a topological order */
  readonly layers: readonly Layer[];
  /** in declaration order: for each layer in order, kernel then bias */
  readonly params: readonly Param[];
  readonly input: TensorId;
  readonly output: TensorId;
  readonly train?: TrainSpec;
  /** names bound to an existing tensor by a binding with no call (`y = x`), in source order */
  readonly aliases: readonly Alias[];
}

export interface Alias {
  readonly name: string;
  readonly tensor: TensorId;
}

export interface Tensor {
  readonly id: TensorId;
  /** the binding, input or output name when this tensor is one; undefined for intermediates */
  readonly name?: string;
  readonly shape: Shape;
  /** index into `layers`; null for the model input */
  readonly producer: number | null;
  /** the source that produced it: the call, or the input declaration */
  readonly span: Span;
}

/** Explicit padding per side, already resolved from valid / same / an int. */
export interface Padding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** A kernel initialiser (`init:`), Keras' names. */
export type KernelInit = "glorot_uniform" | "glorot_normal" | "he_uniform" | "he_normal" | "lecun_uniform" | "lecun_normal" | "zeros";

/** The options every layer with parameters takes (src/ops/init.ts). */
export interface ParamOptions {
  readonly init: KernelInit;
  /** false freezes the layer: no gradient, no optimizer state, no update */
  readonly trainable: boolean;
}

export interface Conv2dAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  readonly bias: boolean;
  /** channel groups; present only when above 1, so a program without groups keeps its
   *  attributes (and its weight files' architecture hash) as before */
  readonly groups?: number;
}

/** depthwise_conv2d: kernel [kh, kw, c, m], output channel ci * m + j. */
export interface DepthwiseConv2dAttrs extends ParamOptions {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  /** named as the argument, so an editor's resolved arguments read as the source does */
  readonly depth_multiplier: number;
  readonly bias: boolean;
}

/** separable_conv2d: a depthwise conv (no bias) into a scratch value, then a 1x1 conv. */
export interface SeparableConv2dAttrs extends DepthwiseConv2dAttrs {
  readonly filters: number;
}

/** conv2d_transpose: kernel [kh, kw, filters, c]; `padding` is that of the conv2d it is the
 *  adjoint of (the cells cropped from the full output). */
export interface Conv2dTransposeAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: Padding;
  readonly bias: boolean;
}

/** conv1d along a sequence [n, c]: causal padding is resolved to `left = d*(k-1), right = 0`. */
export interface Conv1dAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: { readonly left: number; readonly right: number };
  readonly groups: number;
  readonly bias: boolean;
}

export interface UpsampleAttrs {
  readonly size: readonly [number, number];
  readonly interpolation: "nearest" | "bilinear";
}

export interface PoolAttrs {
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  /** padded cells never count: max ignores them, avg divides by the real cells only (TF's rule) */
  readonly padding: Padding;
}

export interface DenseAttrs extends ParamOptions {
  readonly units: number;
  readonly bias: boolean;
}

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

export type LayerSpec =
  | { readonly op: "conv2d"; readonly attrs: Conv2dAttrs }
  | { readonly op: "conv1d"; readonly attrs: Conv1dAttrs }
  | { readonly op: "upsample"; readonly attrs: UpsampleAttrs }
  | { readonly op: "maxpool"; readonly attrs: PoolAttrs }
  | { readonly op: "avgpool"; readonly attrs: PoolAttrs }
  | { readonly op: "global_avgpool"; readonly attrs: Record<string, never> }
  | { readonly op: "global_maxpool"; readonly attrs: Record<string, never> }
  | { readonly op: "flatten"; readonly attrs: Record<string, never> }
  | { readonly op: "dense"; readonly attrs: DenseAttrs }
  | { readonly op: "relu"; readonly attrs: Record<string, never> }
  | { readonly op: "sigmoid"; readonly attrs: Record<string, never> }
  | { readonly op: "tanh"; readonly attrs: Record<string, never> }
  | { readonly op: "softmax"; readonly attrs: Record<string, never> }
  | { readonly op: "leaky_relu"; readonly attrs: { readonly alpha: number } }
  | { readonly op: "relu6"; readonly attrs: Record<string, never> }
  | { readonly op: "elu"; readonly attrs: { readonly alpha: number } }
  | { readonly op: "selu"; readonly attrs: Record<string, never> }
  | { readonly op: "gelu"; readonly attrs: { readonly approximate: boolean } }
  | { readonly op: "silu"; readonly attrs: Record<string, never> }
  | { readonly op: "hard_sigmoid"; readonly attrs: Record<string, never> }
  | { readonly op: "hard_swish"; readonly attrs: Record<string, never> }
  | { readonly op: "softplus"; readonly attrs: Record<string, never> }
  | { readonly op: "dropout"; readonly attrs: { readonly rate: number } }
  | { readonly op: "add"; readonly attrs: Record<string, never> }
  | { readonly op: "concat"; readonly attrs: Record<string, never> }
  | { readonly op: "depthwise_conv2d"; readonly attrs: DepthwiseConv2dAttrs }
  | { readonly op: "separable_conv2d"; readonly attrs: SeparableConv2dAttrs }
  | { readonly op: "conv2d_transpose"; readonly attrs: Conv2dTransposeAttrs }
  | { readonly op: "batchnorm"; readonly attrs: BatchnormAttrs };

export type OpName = LayerSpec["op"];

export type Layer = LayerSpec & {
  readonly index: number;
  /** the layer's name as used in parameter names: `features.conv2d1`, `logits.dense1`, `stem` */
  readonly name: string;
  /** the binding (or output) this layer belongs to */
  readonly binding: string;
  readonly inputs: readonly TensorId[];
  readonly output: TensorId;
  /** indices into CheckedModel.params, kernel first */
  readonly params: readonly number[];
  /** forward FLOPs per sample, a multiply-add counted as 2 */
  readonly flops: number;
  readonly span: Span;
};

export interface Param {
  /** `features.conv2d1.kernel` */
  readonly name: string;
  readonly role: "kernel" | "bias" | "depthwise_kernel" | "pointwise_kernel" | "gamma" | "beta" | "moving_mean" | "moving_variance";
  /** Keras layout: conv2d kernel [kh, kw, in, filters], dense kernel [in, units], bias [n] */
  readonly shape: Shape;
  readonly layer: number;
  /** the kernel's initialiser with the fans it reads (Keras' rule, src/ops/init.ts); biases
   *  start at zeros, batch-norm scales at ones */
  readonly init: { readonly kind: Exclude<KernelInit, "zeros">; readonly fanIn: number; readonly fanOut: number } | { readonly kind: "zeros" } | { readonly kind: "ones" };
  /** stored with the weights but never stepped by the optimizer (batch-norm moving statistics) */
  readonly state?: boolean;
  /** false for the parameters of a frozen layer (`trainable: false`) */
  readonly trainable: boolean;
}

export type LossKind = "softmax_cross_entropy" | "mse" | "binary_cross_entropy" | "mae" | "huber";

export interface LossSpec {
  readonly kind: LossKind;
  readonly tensor: TensorId;
  /** softmax_cross_entropy's targets become (1 - ls) t + ls / k (0: none) */
  readonly labelSmoothing?: number;
  /** huber's threshold between the squared and the linear part */
  readonly delta?: number;
  readonly span: Span;
}

/** Learning-rate schedule; `none` keeps lr constant. */
export type Schedule =
  | { readonly kind: "none" }
  | { readonly kind: "cosine" }
  | { readonly kind: "step"; readonly every: number; readonly gamma: number };

export type OptimizerSpec =
  | {
      readonly kind: "sgd";
      readonly lr: number;
      readonly momentum: number;
      readonly nesterov: boolean;
      readonly weightDecay: number;
      readonly clipNorm: number | null;
      readonly schedule: Schedule;
      readonly span: Span;
    }
  | {
      readonly kind: "adam";
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      readonly weightDecay: number;
      readonly clipNorm: number | null;
      readonly schedule: Schedule;
      readonly span: Span;
    }
  | {
      readonly kind: "rmsprop";
      readonly lr: number;
      readonly rho: number;
      readonly momentum: number;
      readonly eps: number;
      readonly centered: boolean;
      readonly weightDecay: number;
      readonly clipNorm: number | null;
      readonly schedule: Schedule;
      readonly span: Span;
    };

export interface TrainSpec {
  readonly loss: LossSpec;
  readonly optimizer: OptimizerSpec;
  readonly span: Span;
}
