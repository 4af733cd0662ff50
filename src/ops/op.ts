// What one op file defines, and the uniform interface the pipeline checker uses for all ops.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TensorOrigin } from "../diagnostics/shapes.js";
import type { Span } from "../source/span.js";
import {
  argSpans,
  bindArgs,
  describeSignature,
  signatureNames,
  type ArgInfo,
  type BindContext,
  type CallSite,
  type Signature,
} from "../check/args/bind.js";
import type { Param, Shape } from "../check/types.js";
import type { Activation } from "../kernel/activation.js";
import type { BatchKernel, Kernel } from "../emit/kernels/types.js";

/** The resolved attributes an op's definition gives its layers (the registry derives the
 *  checker's `LayerSpec` from these, so an op's attributes are declared in its own file). */
export type AttrsOfOp<O> = O extends Op<string, infer A> ? A : never;

/** A parameter before it gets its name. */
export type ParamDraft = Pick<Param, "role" | "shape" | "init" | "state" | "trainable">;

export interface ShapeContext {
  readonly op: string;
  /** the call */
  readonly span: Span;
  /** where each input came from, for notes */
  readonly inputs: readonly TensorOrigin[];
  readonly report: (diagnostic: Diagnostic) => void;
  /** the span of an argument if it was written, else the call */
  readonly argSpan: (name: string) => Span;
}

export interface Inferred<Attrs> {
  readonly shape: Shape;
  readonly attrs: Attrs;
}

/** `A`: the arguments as bound from the call; `Attrs`: the layer's resolved attributes. */
export interface OpDef<K extends string, A, Attrs> {
  readonly name: K;
  /** "pipe": one input fed by `|>`; "tensors": two or more tensors (add, concat) */
  readonly inputs: "pipe" | "tensors";
  readonly signature: Signature<A>;
  /** the output shape and resolved attributes, or undefined after reporting why not */
  readonly infer: (inputs: readonly Shape[], args: A, ctx: ShapeContext) => Inferred<Attrs> | undefined;
  /** kernel first, then bias; absent for ops without parameters */
  readonly params?: (inputs: readonly Shape[], attrs: Attrs) => ParamDraft[];
  /** forward FLOPs per sample */
  readonly flops: (inputs: readonly Shape[], output: Shape, attrs: Attrs) => number;
  /** what the back end needs to know */
  readonly lower: Lowering<Attrs>;
}

/** An op's facts for the IR, the memory plan and the emitter. */
export interface Lowering<Attrs> {
  /** its forward and backward loops, as kernel trees */
  readonly kernel: Kernel;
  /** an elementwise activation: its math, for fusing it into the loop that produces its input */
  readonly activation?: (attrs: Attrs) => Activation;
  /** takes the activation that follows it into its own store (conv2d, dense) */
  readonly fusesActivation?: boolean;
  /** the output shares the input's storage (flatten): no code in either direction */
  readonly aliasesInput?: boolean;
  /** behaves differently while training (dropout): its forward pass takes `training` */
  readonly trainingMode?: boolean;
  /** scratch buffers beside its output, in elements */
  readonly scratch?: Scratch<Attrs>;
  /** needs the whole batch while training (batchnorm's batch statistics): a model with such a
   *  layer on the loss's path trains layer by layer over the batch (src/ir/batch.ts) */
  readonly batch?: BatchLowering<Attrs>;
  /** its output channel c is linear in one axis of one kernel and in its bias, so a
   *  per-channel scale and shift that follows it folds into those when predicting */
  readonly foldsChannelScale?: ChannelFold;
}

/** Where a layer's output channel sits in its parameters: the kernel (parameter index) whose
 *  axis it is, that kernel read as [outer, channels, inner] (`inner` 1 when the channel is the
 *  last axis, as conv2d's and dense's; the input's channels for conv2d_transpose's
 *  [kh, kw, filters, c]), and the bias (parameter index, present when `attrs.bias`). */
export interface ChannelFold {
  readonly kernel: number;
  readonly bias: number;
  readonly inner?: (input: Shape) => number;
}

/** conv2d, dense, depthwise: the channel is the first kernel's last axis, the bias parameter 1 */
export const lastAxisFold: ChannelFold = { kernel: 0, bias: 1 };

export interface BatchLowering<Attrs> {
  /** the batch kernels: phases run once or once per sample, and the step-time update */
  readonly kernel: BatchKernel;
  /** elements of scratch shared by the batch (its statistics), outside the per-sample buffers */
  readonly scratch: (input: Shape, attrs: Attrs) => number;
}

export interface Scratch<Attrs> {
  /** a training-time mask of the output's size in the arena (dropout) */
  readonly mask?: boolean;
  /** one input index per output element in the index arena (max-pools' argmax) */
  readonly argmax?: boolean;
  /** a zero-bordered copy of the input (and of its gradient), so the loops test no border; the
   *  copy's size, or 0 when the op needs none */
  readonly padded?: (input: Shape, attrs: Attrs) => number;
  /** intermediate values the op computes inside its one layer (separable_conv2d's depthwise
   *  output), each placed beside the activations, with a gradient of its own (in the zeroed
   *  gradient region) in training builds */
  readonly values?: (input: Shape, output: Shape, attrs: Attrs) => readonly ScratchValue[];
  /** f32x4 builds (lanes 4) only: the buffers the backward pass computes its input gradient
   *  through (conv2d's gather form: the bordered dy and the flipped kernel; its rows form: the
   *  transposed kernel and, padded, its own bordered dx), none when the op keeps its other
   *  schedule. Planned beside the activations (never cleared by the plan), for a node whose
   *  backward computes dx; its padded input's gradient is then not planned. */
  readonly gather?: (input: Shape, output: Shape, attrs: Attrs) => readonly ScratchValue[];
  /** the buffers of the batch block (Kernel.block), for a node whose parameter gradients the
   *  block computes (blocksGradients in src/ir/batch.ts): `size` is one slot's, and the plan
   *  places B slots of each (src/options.ts, batchBlock) outside the zeroed gradient region */
  readonly block?: (input: Shape, output: Shape, attrs: Attrs) => readonly ScratchValue[];
}

export interface ScratchValue {
  /** a valid identifier, for the region's name (`depthwise` -> `blockSepDepthwise`) */
  readonly name: string;
  /** elements per sample */
  readonly size: number;
}


/** A layer as the op's definition resolves it: `{ op, attrs }`, one member of `LayerSpec`. */
export interface OpSpec<K extends string, Attrs> {
  readonly op: K;
  readonly attrs: Attrs;
}

export interface OpResult<K extends string = string, Attrs = unknown> {
  readonly spec: OpSpec<K, Attrs>;
  readonly shape: Shape;
  readonly params: readonly ParamDraft[];
  readonly flops: number;
}

export interface BoundOp<K extends string = string, Attrs = unknown> {
  apply(inputs: readonly Shape[], ctx: Omit<ShapeContext, "argSpan" | "op">): OpResult<K, Attrs> | undefined;
}

/** An op as the registry holds it. `K` and `Attrs` carry its name and attributes' types to the
 *  registry, which derives `OpName` and `LayerSpec` from them (src/ops/index.ts). */
export interface Op<K extends string = string, Attrs = unknown> {
  readonly name: K;
  /** the op's back-end facts with its attributes untyped (`never`): what the IR passes read */
  readonly lower: Lowering<never>;
  readonly inputs: "pipe" | "tensors";
  readonly hasParams: boolean;
  readonly argNames: readonly string[];
  /** the arguments in positional order, with their defaults, for editors */
  readonly args: readonly ArgInfo[];
  /** checks the arguments; undefined after reporting errors */
  bind(site: CallSite, ctx: BindContext): BoundOp<K, Attrs> | undefined;
}

/** An op from its definition. Its constant is annotated (`export const relu: Op<"relu", {}>`):
 *  the registry's types are derived from those annotations, so they must not depend on the
 *  definitions' bodies, which read the registry's types in turn. */
export function defineOp<K extends string, A, Attrs>(def: OpDef<K, A, Attrs>): Op<K, Attrs> {
  const argNames = signatureNames(def.signature);
  return {
    name: def.name,
    lower: def.lower as unknown as Lowering<never>,
    inputs: def.inputs,
    hasParams: def.params !== undefined,
    argNames,
    args: describeSignature(def.signature),
    bind(site, ctx) {
      const args = bindArgs(def.signature, site, ctx);
      if (args === undefined) return undefined;
      const spans = argSpans(argNames, site);
      return {
        apply(inputs, base) {
          const ctx: ShapeContext = { ...base, op: def.name, argSpan: (name) => spans.get(name) ?? site.span };
          const inferred = def.infer(inputs, args, ctx);
          if (inferred === undefined) return undefined;
          const params = def.params?.(inputs, inferred.attrs) ?? [];
          return { spec: { op: def.name, attrs: inferred.attrs }, shape: inferred.shape, params, flops: def.flops(inputs, inferred.shape, inferred.attrs) };
        },
      };
    },
  };
}
