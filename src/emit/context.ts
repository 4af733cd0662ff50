// Everything the member emitters share about one model: its graph, plan, sizes and names.
import type { Graph, ForwardNode, ValueId } from "../ir/graph.js";
import type { CompileOptions } from "../options.js";
import type { KernelEnv } from "./kernels/types.js";
import type { SourceFile } from "../syntax/span.js";

export interface ModelContext {
  readonly graph: Graph;
  readonly className: string;
  /** element type of the public arrays (predictions, weights, gradients) */
  readonly array: "Float32Array" | "Float64Array";
  /** element type of the arena: Float64Array, also in f32 builds (whose stores round) */
  readonly arena: "Float32Array" | "Float64Array";
  /** whether every store to the arena is rounded to float32 (see round.ts) */
  readonly roundsStores: boolean;
  readonly inputSize: number;
  readonly outputSize: number;
  /** size of the tensor the loss reads targets against (0 without a train section) */
  readonly targetSize: number;
  readonly env: KernelEnv;
  readonly options: CompileOptions;
  /** 1-based source line of a node, for the comment above its code */
  line(node: ForwardNode): number;
}

export function modelContext(graph: Graph, file: SourceFile, options: CompileOptions): ModelContext {
  const plan = graph.plan!;
  const off = (v: ValueId): number => {
    const at = plan.offsets.get(v);
    if (at === undefined) throw new Error(`internal: value ${v} has no place in the memory plan`);
    return at;
  };
  const paramIndex = (node: ForwardNode, k: number): number => {
    const p = node.params[k];
    if (p === undefined) throw new Error(`internal: ${node.layer.name} has no parameter ${k}`);
    return p;
  };
  const env: KernelEnv = {
    graph,
    precision: options.precision,
    off,
    shape: (v) => graph.values[v]!.shape,
    size: (v) => graph.values[v]!.size,
    param: (node, k) => plan.paramOffset + graph.params[paramIndex(node, k)]!.offset,
    paramGrad: (node, k) => plan.gradOffset! + graph.params[paramIndex(node, k)]!.offset,
    mask: (node) => plan.masks.get(node.id)!,
    argmax: (node) => plan.argmax.get(node.id)!,
    padded: (node) => plan.padded.get(node.id),
  };
  const loss = graph.train?.loss;
  return {
    graph,
    className: graph.model.name,
    array: options.precision === "f64" ? "Float64Array" : "Float32Array",
    arena: options.precision === "f32" && options.float32Arena ? "Float32Array" : "Float64Array",
    roundsStores: options.precision === "f32" && !options.float32Arena,
    inputSize: graph.values[graph.input]!.size,
    outputSize: graph.values[graph.output]!.size,
    targetSize: loss ? graph.values[loss.input]!.size : 0,
    env,
    options,
    line: (node) => file.position(node.origin.start).line,
  };
}
