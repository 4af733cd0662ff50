// The IR, in stages, each the value one pass returns: a forward graph (one node per layer), the
// same with activations fused in, then with the loss and backward nodes derived from local
// rules, then with the memory plan that places every buffer in one arena. No pass changes the
// value it is given.
import type { CheckedModel, Layer, LossKind, OpName, OptimizerSpec, Shape, TensorId } from "../check/types.js";
import type { Activation } from "../kernel/activation.js";
import type { Span } from "../source/span.js";

export type ValueId = number;

export interface Value {
  readonly id: ValueId;
  readonly shape: Shape;
  readonly size: number;
  /** "act": a forward activation; "grad": the gradient of one */
  readonly kind: "act" | "grad";
  /** storage shared with another value (flatten, and the gradient of a flatten) */
  readonly aliasOf?: ValueId;
}

/** An activation folded into the loop that produces its input: its op and its math. */
export interface FusedActivation {
  readonly op: OpName;
  readonly math: Activation;
}

export interface ForwardNode {
  readonly id: number;
  /** the checked layer: op and resolved attributes */
  readonly layer: Layer;
  readonly inputs: readonly ValueId[];
  readonly output: ValueId;
  /** indices into Graph.params */
  readonly params: readonly number[];
  /** the activation layer folded into this node, and that layer */
  readonly fused?: { readonly activation: FusedActivation; readonly layer: Layer };
  /** on an activation layer folded away: the node it was folded into */
  readonly fusedInto?: number;
  readonly origin: Span;
}

export interface BackwardNode {
  /** the forward node whose local rule this applies */
  readonly node: number;
  /** gradient of the node's output */
  readonly dy: ValueId;
  /** gradient of each input, or null when that input needs none */
  readonly dxs: readonly (ValueId | null)[];
  /** whether the node's parameter gradients are computed: false for a frozen layer, whose
   *  backward node exists only to carry the gradient through to its input */
  readonly paramGrads: boolean;
}

export interface LossNode {
  readonly kind: LossKind;
  /** softmax_cross_entropy's label smoothing (0: none) */
  readonly labelSmoothing: number;
  /** huber's delta */
  readonly delta: number;
  /** what the fused loss reads: logits for softmax_cross_entropy, the sigmoid's input for
   *  binary_cross_entropy, the tensor itself for mse */
  readonly input: ValueId;
  /** its gradient, which the loss seeds */
  readonly dInput: ValueId;
  /** values per sample of the targets: the size of what the loss reads (not of the output) */
  readonly targetSize: number;
  readonly origin: Span;
}

export interface ParamInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  readonly init: CheckedModel["params"][number]["init"];
  /** false for a frozen layer's parameters: no gradient, no optimizer state, never updated */
  readonly trainable: boolean;
  /** element offset of the parameter inside the parameter block */
  readonly offset: number;
  /** stored with the weights but never stepped by the optimizer (batch-norm moving statistics) */
  readonly state?: boolean;
}

/** Stage 1 (build, then fuse): the forward computation. */
export interface ForwardGraph {
  readonly model: CheckedModel;
  readonly values: readonly Value[];
  readonly nodes: readonly ForwardNode[];
  /** value of each checked tensor */
  readonly valueOf: ReadonlyMap<TensorId, ValueId>;
  readonly input: ValueId;
  readonly output: ValueId;
  readonly params: readonly ParamInfo[];
  readonly paramCount: number;
  /** forward nodes needed for the output, in order (inference) */
  readonly inferNodes: readonly number[];
}

/** Stage 2 (differentiate): with the training computation, or null for an inference model. */
export interface TrainedGraph extends ForwardGraph {
  readonly train: TrainGraph | null;
}

/** Stage 3 (plan): every buffer placed; what the emitter reads. */
export interface Graph extends TrainedGraph {
  /** forward nodes that run in inference or training, in order */
  readonly live: readonly number[];
  readonly plan: MemoryPlan;
}

export interface TrainGraph {
  readonly loss: LossNode;
  readonly optimizer: OptimizerSpec;
  /** forward nodes needed for the loss, in order */
  readonly nodes: readonly number[];
  /** in execution order (reverse of the forward order) */
  readonly backward: readonly BackwardNode[];
  /** gradient of the model input, when asked for */
  readonly dInput: ValueId | null;
  /** the gradient value of each activation that has one */
  readonly gradients: ReadonlyMap<ValueId, ValueId>;
}

/** Offsets are element indices into the one arena (or the index arena for argmax). */
export interface MemoryPlan {
  /** the arena's element type; f32 builds keep float32 values in a Float64Array (see
   *  src/kernel/passes/round.ts) unless CompileOptions.float32Arena asks for a Float32Array */
  readonly arena: "Float32Array" | "Float64Array";
  /** whether every store to the arena is rounded to float32 */
  readonly roundsStores: boolean;
  readonly arenaSize: number;
  /** bytes of one instance's working memory: the arena and the index arena */
  readonly bytes: number;
  /** samples whose per-sample buffers the plan holds at once (the batch block); the
   *  TypeScript target runs one sample at a time */
  readonly block: number;
  /** the batch block of the weight gradients (batchBlock in src/options.ts): B samples, whose
   *  parameter gradients an op with a block kernel adds as one product for a layer whose kernel
   *  gradient has at least `min` floats (src/ir/batch.ts, blocksGradients); B is 1 when none.
   *  `nodes`: the forward nodes whose backward leaves its parameter gradients to the block,
   *  decided here once for the emitter to read */
  readonly batchBlock: { readonly samples: number; readonly min: number; readonly nodes: ReadonlySet<number> };
  /** the kernels' vector width (kernelLanes in src/options.ts): 4 on wasm f32x4 builds, whose
   *  kernels may declare scratch of their own (Scratch.gather) */
  readonly lanes: 1 | 4;
  readonly paramOffset: number;
  /** gradients of the parameters, same order and layout as the parameters */
  readonly gradOffset: number | null;
  /** optimizer state blocks, each `stateSize` long: momentum, or Adam's m and v */
  readonly stateOffsets: readonly number[];
  /** values per state block: one per trainable parameter value (frozen layers keep none), in
   *  the parameters' order */
  readonly stateSize: number;
  readonly offsets: ReadonlyMap<ValueId, number>;
  /** the activation-gradient region, zeroed before each sample's backward pass */
  readonly gradRegion: { readonly start: number; readonly end: number };
  /** dropout masks, by forward node id */
  readonly masks: ReadonlyMap<number, number>;
  /** zero-bordered copies of a padded conv2d's input (and its gradient), by forward node id,
   *  so the convolution itself never tests a boundary */
  readonly padded: ReadonlyMap<number, { readonly input: number; readonly grad: number | null; readonly size: number }>;
  /** an op's intermediate values (Scratch.values), by forward node id, in the op's order; `grad`
   *  is null in builds without training or for a node outside the loss's path, and for the
   *  buffers of an f32x4 input gradient (Scratch.gather) and of the batch block (Scratch.block,
   *  `size` all B slots), which have none */
  readonly scratch: ReadonlyMap<number, readonly { readonly name: string; readonly value: number; readonly grad: number | null; readonly size: number }[]>;
  /** the pre-activation of a fused activation whose derivative reads its input (gelu, silu,
   *  ...), kept by the training pass for the backward one, by forward node id */
  readonly preActivations: ReadonlyMap<number, number>;
  /** max-pool argmax, by forward node id: offsets into the Int32Array index arena */
  readonly argmax: ReadonlyMap<number, number>;
  readonly indexSize: number;
  /** scratch shared by the batch (batch statistics), by forward node id */
  readonly batchScratch: ReadonlyMap<number, { readonly offset: number; readonly size: number }>;
  /** the folded kernel and bias of a layer a batchnorm follows, by the layer's node id (prediction) */
  readonly folded: ReadonlyMap<number, { readonly kernel: number; readonly bias: number; readonly kernelSize: number; readonly biasSize: number }>;
  /** layer-major training (src/ir/batch.ts): every per-sample buffer lies in [start, arenaSize),
   *  and the arena grows to hold sample s's copy of that section at + s * stride (the index
   *  arena likewise, at + s * indexSize); absent for models that train sample by sample */
  readonly sample?: { readonly start: number; readonly stride: number };
}
