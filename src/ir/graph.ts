// The IR: forward nodes (one per layer, activations possibly fused in), the loss, backward nodes
// derived from local rules, and the memory plan that places every buffer in one arena.
import type { CheckedModel, Layer, LossKind, OptimizerSpec, Shape, TensorId } from "../check/types.js";
import type { Span } from "../syntax/span.js";

export type ValueId = number;

export interface Value {
  readonly id: ValueId;
  readonly shape: Shape;
  readonly size: number;
  /** "act": a forward activation; "grad": the gradient of one */
  readonly kind: "act" | "grad";
  /** storage shared with another value (flatten, and the gradient of a flatten) */
  aliasOf?: ValueId;
}

/** An activation that can be folded into the loop that produces its input. */
export type FusedActivation =
  | { readonly op: "relu" }
  | { readonly op: "sigmoid" }
  | { readonly op: "tanh" }
  | { readonly op: "leaky_relu"; readonly alpha: number };

export interface ForwardNode {
  readonly id: number;
  /** the checked layer: op and resolved attributes */
  readonly layer: Layer;
  readonly inputs: readonly ValueId[];
  output: ValueId;
  /** indices into Graph.params */
  readonly params: readonly number[];
  /** set by the fusion pass: the activation layer folded into this node */
  fused?: { readonly activation: FusedActivation; readonly layer: Layer };
  /** set by the fusion pass on the activation layer that was folded away */
  fusedInto?: number;
  readonly origin: Span;
}

export interface BackwardNode {
  /** the forward node whose local rule this applies */
  readonly node: number;
  /** gradient of the node's output */
  readonly dy: ValueId;
  /** gradient of each input, or null when that input needs none */
  readonly dxs: readonly (ValueId | null)[];
}

export interface LossNode {
  readonly kind: LossKind;
  /** what the fused loss reads: logits for softmax_cross_entropy, the sigmoid's input for
   *  binary_cross_entropy, the tensor itself for mse */
  readonly input: ValueId;
  /** its gradient, which the loss seeds */
  readonly dInput: ValueId;
  readonly origin: Span;
}

export interface ParamInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  readonly init: CheckedModel["params"][number]["init"];
  /** element offset of the parameter inside the parameter block */
  readonly offset: number;
}

export interface Graph {
  readonly model: CheckedModel;
  readonly values: Value[];
  readonly nodes: ForwardNode[];
  /** value of each checked tensor */
  readonly valueOf: ReadonlyMap<TensorId, ValueId>;
  readonly input: ValueId;
  readonly output: ValueId;
  readonly params: readonly ParamInfo[];
  readonly paramCount: number;
  /** forward nodes needed for the output, in order (inference) */
  inferNodes: number[];
  train?: TrainGraph;
  plan?: MemoryPlan;
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
}

/** Offsets are element indices into the one arena (or the index arena for argmax). */
export interface MemoryPlan {
  readonly arenaSize: number;
  readonly paramOffset: number;
  /** gradients of the parameters, same order and layout as the parameters */
  readonly gradOffset: number | null;
  /** optimizer state blocks, each paramCount long: momentum, or Adam's m and v */
  readonly stateOffsets: readonly number[];
  readonly offsets: ReadonlyMap<ValueId, number>;
  /** the activation-gradient region, zeroed before each sample's backward pass */
  readonly gradRegion: { readonly start: number; readonly end: number };
  /** dropout masks, by forward node id */
  readonly masks: ReadonlyMap<number, number>;
  /** zero-bordered copies of a padded conv2d's input (and its gradient), by forward node id,
   *  so the convolution itself never tests a boundary */
  readonly padded: ReadonlyMap<number, { readonly input: number; readonly grad: number | null; readonly size: number }>;
  /** max-pool argmax, by forward node id: offsets into the Int32Array index arena */
  readonly argmax: ReadonlyMap<number, number>;
  readonly indexSize: number;
}
