// The structured description of a generated network. The generator builds it, the printer turns
// it into .cnn source, the tfjs builder turns it into a tf.LayersModel: one truth, two programs.
export type Dims = readonly number[];

export type ArgStyle = "first" | "named" | "positional";

export type PaddingSpec = "valid" | "same" | number;

interface CallBase {
  /** an explicit `as` name */
  readonly as?: string;
  /** how arguments are written: first positional then named (the default), all named, all positional */
  readonly style?: ArgStyle;
}

export interface Conv2dCall extends CallBase {
  readonly op: "conv2d";
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: number;
  readonly padding: PaddingSpec;
  readonly dilation: number;
  readonly bias: boolean;
  /** absent: the default, 1 (tfjs has no grouped conv: the oracle builds it, grouped.ts) */
  readonly groups?: number;
}

export interface DepthwiseConv2dCall extends CallBase {
  readonly op: "depthwise_conv2d";
  readonly kernel: readonly [number, number];
  readonly stride: number;
  readonly padding: PaddingSpec;
  readonly dilation: number;
  readonly depthMultiplier: number;
  readonly bias: boolean;
}

export interface SeparableConv2dCall extends Omit<DepthwiseConv2dCall, "op"> {
  readonly op: "separable_conv2d";
  readonly filters: number;
}

export interface Conv2dTransposeCall extends CallBase {
  readonly op: "conv2d_transpose";
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: number;
  readonly padding: "valid" | "same";
  readonly bias: boolean;
}

/** conv1d along a sequence [n, c] */
export interface Conv1dCall extends CallBase {
  readonly op: "conv1d";
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: PaddingSpec | "causal";
  readonly dilation: number;
  readonly groups: number;
  readonly bias: boolean;
}

export interface UpsampleCall extends CallBase {
  readonly op: "upsample";
  readonly size: readonly [number, number];
  readonly interpolation: "nearest" | "bilinear";
}

/** On a sequence [n, c] the window is along the length and `size` has two equal sides. */
export interface PoolCall extends CallBase {
  readonly op: "maxpool" | "avgpool";
  readonly size: readonly [number, number];
  /** null: the default, which is the window size */
  readonly stride: number | null;
  readonly padding: "valid" | "same";
}

export interface DenseCall extends CallBase {
  readonly op: "dense";
  readonly units: number;
  readonly bias: boolean;
}

export interface LeakyReluCall extends CallBase {
  readonly op: "leaky_relu";
  /** null: the default, 0.01 */
  readonly alpha: number | null;
}

export interface EluCall extends CallBase {
  readonly op: "elu";
  /** null: the default, 1 */
  readonly alpha: number | null;
}

export interface GeluCall extends CallBase {
  readonly op: "gelu";
  readonly approximate: boolean;
}

export interface DropoutCall extends CallBase {
  readonly op: "dropout";
  readonly rate: number;
}

export interface BatchnormCall extends CallBase {
  readonly op: "batchnorm";
  /** null: the defaults, 0.99 and 0.001 */
  readonly momentum: number | null;
  readonly epsilon: number | null;
  readonly center: boolean;
  readonly scale: boolean;
}

export interface PlainCall extends CallBase {
  readonly op:
    | "relu"
    | "sigmoid"
    | "tanh"
    | "softmax"
    | "flatten"
    | "global_avgpool"
    | "global_maxpool"
    | "relu6"
    | "selu"
    | "silu"
    | "swish"
    | "hard_sigmoid"
    | "hard_swish"
    | "softplus";
}

/** A layer fed by the previous value of its pipeline. */
export type UnaryCall =
  | Conv2dCall
  | Conv1dCall
  | UpsampleCall
  | PoolCall
  | DenseCall
  | LeakyReluCall
  | EluCall
  | GeluCall
  | DropoutCall
  | BatchnormCall
  | PlainCall
  | DepthwiseConv2dCall
  | SeparableConv2dCall
  | Conv2dTransposeCall;

/** `add(a, b)` / `concat(a, b, c)` as the source of a pipeline. */
export interface MergeCall extends CallBase {
  readonly op: "add" | "concat";
  readonly inputs: readonly string[];
}

export type Source = { readonly kind: "ref"; readonly name: string } | { readonly kind: "merge"; readonly call: MergeCall };

export interface Binding {
  readonly name: string;
  readonly source: Source;
  readonly calls: readonly UnaryCall[];
  /** write the inferred shape as an assertion `name: [dims] = ...` */
  readonly annotate: boolean;
}

export type LossKind = "softmax_cross_entropy" | "mse" | "binary_cross_entropy";

export type Optimizer =
  | { readonly kind: "sgd"; readonly lr: number; readonly momentum: number; readonly nesterov: boolean; readonly weightDecay: number }
  | {
      readonly kind: "adam";
      readonly lr: number;
      readonly beta1: number;
      readonly beta2: number;
      readonly eps: number;
      readonly weightDecay: number;
    };

export interface Train {
  readonly loss: LossKind;
  /** the bound tensor the loss reads */
  readonly tensor: string;
}

/** How the output is declared; it is always the last binding. */
export type OutputForm = "implicit" | "binding" | "reference";

export function modelNameFor(net: Network, optimizer: Optimizer | undefined): string {
  if (!optimizer) return net.modelName;
  return net.modelName + (optimizer.kind === "sgd" ? "Sgd" : "Adam");
}

export interface Network {
  readonly seed: number;
  readonly modelName: string;
  readonly input: { readonly name: string; readonly shape: Dims };
  readonly bindings: readonly Binding[];
  readonly outputForm: OutputForm;
  readonly train?: Train;
  /** one model is printed per optimizer (the generator gives each network one) */
  readonly optimizers: readonly Optimizer[];
}

/** The op of every layer in source order: per binding, the merge source first, then the calls. */
export function layersOf(net: Network): (UnaryCall | MergeCall)[] {
  return net.bindings.flatMap((b) => (b.source.kind === "merge" ? [b.source.call, ...b.calls] : [...b.calls]));
}

export function outputName(net: Network): string {
  const last = net.bindings[net.bindings.length - 1];
  if (!last) throw new Error("a network needs at least one binding");
  return last.name;
}

export function hasParams(call: UnaryCall | MergeCall): boolean {
  return ["conv2d", "conv1d", "dense", "depthwise_conv2d", "separable_conv2d", "conv2d_transpose", "batchnorm"].includes(call.op);
}

/** Whether a network normalises with batch statistics while training (trains layer-major). */
export function hasBatchnorm(net: Network): boolean {
  return layersOf(net).some((c) => c.op === "batchnorm");
}

/**
 * Indices in layersOf(net) of the layers cnnc keeps: those of the bindings the output or the
 * loss depends on. cnnc reports the others (CNN4001) and leaves them out of the module.
 */
export function liveLayers(net: Network): Set<number> {
  const byName = new Map(net.bindings.map((b) => [b.name, b]));
  const live = new Set<string>();
  const stack = [outputName(net), ...(net.train ? [net.train.tensor] : [])];
  while (stack.length > 0) {
    const name = stack.pop()!;
    const binding = byName.get(name);
    if (binding === undefined || live.has(name)) continue;
    live.add(name);
    stack.push(...(binding.source.kind === "ref" ? [binding.source.name] : binding.source.call.inputs));
  }
  const indices = new Set<number>();
  let index = 0;
  for (const b of net.bindings) {
    const count = b.calls.length + (b.source.kind === "merge" ? 1 : 0);
    for (let k = 0; k < count; k++, index++) if (live.has(b.name)) indices.add(index);
  }
  return indices;
}

/** The names of the bindings whose layers cnnc keeps (and aliases, which have none). */
export function liveBindingNames(net: Network): Set<string> {
  const live = liveLayers(net);
  const names = new Set<string>();
  let index = 0;
  for (const b of net.bindings) {
    const count = b.calls.length + (b.source.kind === "merge" ? 1 : 0);
    if (count === 0 || live.has(index)) names.add(b.name);
    index += count;
  }
  return names;
}
