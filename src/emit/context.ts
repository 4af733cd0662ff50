// Everything the member emitters share about one model: its graph, plan, sizes and names.
import type { Graph, ForwardNode, TrainGraph } from "../ir/graph.js";
import type { Region } from "../kernel/ir.js";
import type { CompileOptions } from "../options.js";
import type { KernelEnv } from "./kernels/types.js";
import type { SourceFile } from "../source/span.js";
import { modelRegions, type Regions } from "./regions.js";
import type { Schedule } from "../kernel/pipeline.js";
import { WasmBuild, type Binaryen } from "./wasm/build.js";

export interface ModelContext {
  readonly graph: Graph;
  readonly className: string;
  /** element type of the public arrays (predictions, weights, gradients) */
  readonly array: "Float32Array" | "Float64Array";
  /** element type of the arena: Float64Array, also in f32 builds (whose stores round) */
  readonly arena: "Float32Array" | "Float64Array";
  /** the passes every kernel goes through (rounding of stores, readable or tuned) */
  readonly schedule: Schedule;
  readonly inputSize: number;
  readonly outputSize: number;
  /** size of the tensor the loss reads targets against (0 without a train section) */
  readonly targetSize: number;
  readonly regions: Regions;
  /** the training half, for a model with a train section */
  readonly train: TrainContext | null;
  readonly env: KernelEnv;
  readonly options: CompileOptions;
  /** 1-based source line of a node, for the comment above its code */
  line(node: ForwardNode): number;
  /** --target wasm: the module the kernels go into (null for the TypeScript target) */
  readonly wasm: WasmBuild | null;
}

export interface TrainContext {
  readonly graph: TrainGraph;
  /** the parameters' gradients */
  readonly grads: Region;
}

export function modelContext(graph: Graph, file: SourceFile, options: CompileOptions, binaryen: Binaryen | null = null): ModelContext {
  const regions = modelRegions(graph);
  const paramIndex = (node: ForwardNode, k: number): number => {
    const p = node.params[k];
    if (p === undefined) throw new Error(`internal: ${node.layer.name} has no parameter ${k}`);
    return p;
  };
  const env: KernelEnv = {
    graph,
    precision: options.precision,
    readable: options.readable,
    lanes: graph.plan.lanes,
    value: regions.value,
    shape: (v) => graph.values[v]!.shape,
    size: (v) => graph.values[v]!.size,
    param: (node, k) => regions.param(paramIndex(node, k)),
    paramGrad: (node, k) => regions.paramGrad(paramIndex(node, k)),
    mask: regions.mask,
    argmax: regions.argmax,
    scratch: regions.scratch,
    batchScratch: regions.batchScratch,
    preActivation: regions.preActivation,
    padded: (node) => (options.readable ? undefined : regions.padded(node)),
  };
  const train = graph.train;
  return {
    graph,
    className: graph.model.name,
    array: options.precision === "f64" ? "Float64Array" : "Float32Array",
    arena: graph.plan.arena,
    schedule: { readable: options.readable, roundStores: graph.plan.roundsStores },
    inputSize: graph.values[graph.input]!.size,
    outputSize: graph.values[graph.output]!.size,
    targetSize: train ? train.loss.targetSize : 0,
    regions,
    train: train ? { graph: train, grads: regions.grads! } : null,
    env,
    options,
    line: (node) => file.position(node.origin.start).line,
    wasm: binaryen === null ? null : new WasmBuild(binaryen, graph),
  };
}
