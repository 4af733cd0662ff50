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
import type { LayerSpec, OpName, Param, Shape } from "../check/types.js";
import type { Activation } from "../kernel/activation.js";
import type { BatchKernel, Kernel } from "../emit/kernels/types.js";

export type AttrsOf<K extends OpName> = Extract<LayerSpec, { op: K }>["attrs"];

/** A parameter before it gets its name. */
export type ParamDraft = Pick<Param, "role" | "shape" | "init" | "state" | "trainable">;

export interface ShapeContext {
  readonly op: OpName;
  /** the call */
  readonly span: Span;
  /** where each input came from, for notes */
  readonly inputs: readonly TensorOrigin[];
  readonly report: (diagnostic: Diagnostic) => void;
  /** the span of an argument if it was written, else the call */
  readonly argSpan: (name: string) => Span;
}

export interface Inferred<K extends OpName> {
  readonly shape: Shape;
  readonly attrs: AttrsOf<K>;
}

export interface OpDef<K extends OpName, A> {
  readonly name: K;
  /** "pipe": one input fed by `|>`; "tensors": two or more tensors (add, concat) */
  readonly inputs: "pipe" | "tensors";
  readonly signature: Signature<A>;
  /** the output shape and resolved attributes, or undefined after reporting why not */
  readonly infer: (inputs: readonly Shape[], args: A, ctx: ShapeContext) => Inferred<K> | undefined;
  /** kernel first, then bias; absent for ops without parameters */
  readonly params?: (inputs: readonly Shape[], attrs: AttrsOf<K>) => ParamDraft[];
  /** forward FLOPs per sample */
  readonly flops: (inputs: readonly Shape[], output: Shape, attrs: AttrsOf<K>) => number;
  /** what the back end needs to know */
  readonly lower: Lowering<K>;
}

/** An op's facts for the IR, the memory plan and the emitter. */
export interface Lowering<K extends OpName> {
  /** its forward and backward loops, as kernel trees */
  readonly kernel: Kernel;
  /** an elementwise activation: its math, for fusing it into the loop that produces its input */
  readonly activation?: (attrs: AttrsOf<K>) => Activation;
  /** takes the activation that follows it into its own store (conv2d, dense) */
  readonly fusesActivation?: boolean;
  /** the output shares the input's storage (flatten): no code in either direction */
  readonly aliasesInput?: boolean;
  /** behaves differently while training (dropout): its forward pass takes `training` */
  readonly trainingMode?: boolean;
  /** scratch buffers beside its output, in elements */
  readonly scratch?: Scratch<K>;
  /** needs the whole batch while training (batchnorm's batch statistics): a model with such a
   *  layer on the loss's path trains layer by layer over the batch (src/ir/batch.ts) */
  readonly batch?: BatchLowering<K>;
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

export interface BatchLowering<K extends OpName> {
  /** the batch kernels: phases run once or once per sample, and the step-time update */
  readonly kernel: BatchKernel;
  /** elements of scratch shared by the batch (its statistics), outside the per-sample buffers */
  readonly scratch: (input: Shape, attrs: AttrsOf<K>) => number;
}

export interface Scratch<K extends OpName> {
  /** a training-time mask of the output's size in the arena (dropout) */
  readonly mask?: boolean;
  /** one input index per output element in the index arena (max-pools' argmax) */
  readonly argmax?: boolean;
  /** a zero-bordered copy of the input (and of its gradient), so the loops test no border; the
   *  copy's size, or 0 when the op needs none */
  readonly padded?: (input: Shape, attrs: AttrsOf<K>) => number;
  /** intermediate values the op computes inside its one layer (separable_conv2d's depthwise
   *  output), each placed beside the activations, with a gradient of its own (in the zeroed
   *  gradient region) in training builds */
  readonly values?: (input: Shape, output: Shape, attrs: AttrsOf<K>) => readonly ScratchValue[];
}

export interface ScratchValue {
  /** a valid identifier, for the region's name (`depthwise` -> `blockSepDepthwise`) */
  readonly name: string;
  /** elements per sample */
  readonly size: number;
}


export interface OpResult {
  readonly spec: LayerSpec;
  readonly shape: Shape;
  readonly params: readonly ParamDraft[];
  readonly flops: number;
}

export interface BoundOp {
  apply(inputs: readonly Shape[], ctx: Omit<ShapeContext, "argSpan" | "op">): OpResult | undefined;
}

export interface Op {
  readonly name: OpName;
  /** the op's back-end facts with its attributes untyped (`never`): what the IR passes read */
  readonly lower: Lowering<never>;
  readonly inputs: "pipe" | "tensors";
  readonly hasParams: boolean;
  readonly argNames: readonly string[];
  /** the arguments in positional order, with their defaults, for editors */
  readonly args: readonly ArgInfo[];
  /** checks the arguments; undefined after reporting errors */
  bind(site: CallSite, ctx: BindContext): BoundOp | undefined;
}

export function defineOp<K extends OpName, A>(def: OpDef<K, A>): Op {
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
          // the registry pairs each op name with its own attrs; TypeScript cannot follow that pairing
          const spec = { op: def.name, attrs: inferred.attrs } as LayerSpec;
          const params = def.params?.(inputs, inferred.attrs) ?? [];
          return { spec, shape: inferred.shape, params, flops: def.flops(inputs, inferred.shape, inferred.attrs) };
        },
      };
    },
  };
}
