// What the checker hands to the IR: every tensor with a concrete shape, every layer with its
// resolved arguments (defaults filled in), parameters named as LANGUAGE.md says.
import type { LayerSpec } from "../ops/index.js";
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

// Each layer's `{ op, attrs }` and the op names come from the op registry: an op declares its
// attributes in its own file (src/ops/<op>.ts), so adding one needs no edit here.
export type { LayerSpec, OpName } from "../ops/index.js";

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
