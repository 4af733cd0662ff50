// Pass 4: the memory plan. One arena holds, in order: parameters, their gradients, optimizer
// state, activations, dropout masks, then the activation gradients (one contiguous region, so
// a single fill() clears it per sample). Aliases get their target's offset.
//
// Per-sample buffers (activations, masks, padded copies, activation gradients, argmax) are
// sized for a block of `block` samples, sample k of a buffer at offset + k * size, so a kernel
// can process several samples together; parameters, their gradients and the optimizer state
// are shared by the block. The TypeScript target plans a block of 1.
//
// A model that trains layer-major (src/ir/batch.ts) has, before the per-sample buffers, the
// scratch its batch layers share (batch statistics) and the folded weights of the layers its
// batch norms fold into; every per-sample buffer comes after them, in one section the generated
// code repeats once per sample of a batch (sample s at + s * stride), growing the arena when a
// larger batch first arrives. One stride for every buffer keeps a kernel's sample offset a
// single run-time term.
import { stateBlocks } from "../check/train/optimizer.js";
import { readsInput } from "../kernel/activation.js";
import { ops } from "../ops/index.js";
import { blocksGradients, foldPairs, runsOnBatch, trainsLayerMajor } from "./batch.js";
import type { Graph, MemoryPlan, TrainedGraph, ValueId } from "./graph.js";

export interface PlanOptions {
  readonly precision: "f32" | "f64";
  /** keep an f32 build's arena in a Float32Array (the tests' reference) */
  readonly float32Arena?: boolean;
  /** samples per block (1 unless a target processes samples together) */
  readonly block?: number;
  /** the kernels' vector width (kernelLanes in src/options.ts); 1 unless given */
  readonly lanes?: 1 | 4;
  /** the batch block of the weight gradients (batchBlock in src/options.ts): B, and the smallest
   *  kernel gradient it takes; B = 1 (none) unless given */
  readonly batchBlock?: { readonly samples: number; readonly min: number };
}

export function planMemory(graph: TrainedGraph, options: PlanOptions): Graph {
  const block = options.block ?? 1;
  const lanes = options.lanes ?? 1;
  const batchBlock = options.batchBlock ?? { samples: 1, min: 0 };
  if (!Number.isInteger(block) || block < 1) throw new Error(`internal: a batch block of ${block} samples`);
  if (!Number.isInteger(batchBlock.samples) || batchBlock.samples < 1) throw new Error(`internal: a gradient block of ${batchBlock.samples} samples`);
  const train = graph.train;
  let top = 0;
  const take = (size: number): number => {
    const at = top;
    top += size;
    return at;
  };
  const perSample = (size: number): number => take(size * block);
  const paramOffset = take(graph.paramCount);
  const gradOffset = train ? take(graph.paramCount) : null;
  const stateOffsets: number[] = [];
  const stateSize = graph.params.reduce((n, p) => n + (p.trainable ? p.size : 0), 0);
  for (let i = 0; i < (train ? stateBlocks(train.optimizer).length : 0); i++) stateOffsets.push(take(stateSize));

  const batchScratch = new Map<number, { offset: number; size: number }>();
  for (const id of train?.nodes ?? []) {
    const node = graph.nodes[id]!;
    const batch = ops[node.layer.op].lower.batch;
    if (!batch || !runsOnBatch(graph, node)) continue;
    const size = batch.scratch(graph.values[node.inputs[0]!]!.shape, node.layer.attrs as never);
    batchScratch.set(id, { offset: take(size), size });
  }
  const folded = new Map<number, { kernel: number; bias: number; kernelSize: number; biasSize: number }>();
  for (const { norm, producer } of foldPairs(graph)) {
    const node = graph.nodes[producer]!;
    const kernelSize = graph.params[node.params[ops[node.layer.op].lower.foldsChannelScale!.kernel]!]!.size;
    const biasSize = graph.values[graph.nodes[norm]!.output]!.shape.at(-1)!;
    folded.set(producer, { kernel: take(kernelSize), bias: take(biasSize), kernelSize, biasSize });
  }
  const sampleStart = top;

  const offsets = new Map<ValueId, number>();
  // inference nodes first, then the rest of the loss's path (the order the index arena follows)
  const liveSet = new Set([...graph.inferNodes, ...(train?.nodes ?? [])]);
  const live = [...liveSet].sort((a, b) => a - b);
  const acts = new Set<ValueId>([graph.input]);
  for (const id of liveSet) {
    const node = graph.nodes[id]!;
    node.inputs.forEach((v) => acts.add(v));
    acts.add(node.output);
  }
  for (const v of [...acts].sort((a, b) => a - b)) placeValue(graph, v, offsets, perSample);

  // Padded conv inputs: the border is written once (zeros, at allocation) and never again.
  const padded = new Map<number, { input: number; grad: number | null; size: number }>();
  for (const id of live) {
    const size = paddedInputSize(graph, id);
    if (size > 0) padded.set(id, { input: perSample(size), grad: null, size });
  }

  const masks = new Map<number, number>();
  for (const id of train?.nodes ?? []) {
    const node = graph.nodes[id]!;
    if (ops[node.layer.op].lower.scratch?.mask) masks.set(id, perSample(graph.values[node.output]!.size));
  }

  // Intermediate values an op keeps inside its layer (separable_conv2d's depthwise output).
  const scratch = new Map<number, { name: string; value: number; grad: number | null; size: number }[]>();
  for (const id of live) {
    const values = scratchValues(graph, id);
    if (values.length > 0) scratch.set(id, values.map((v) => ({ name: v.name, value: perSample(v.size), grad: null, size: v.size })));
  }
  // The f32x4 input gradient's own buffers (Scratch.gather), outside the zeroed gradient region:
  // what their kernels need zero stays zero (conv2d's bordered dy: only its interior is written).
  const gathers = new Map<number, { name: string; value: number; grad: null; size: number }[]>();
  for (const b of lanes === 4 ? (train?.backward ?? []) : []) {
    const values = b.dxs[0] === null ? [] : scratchValues(graph, b.node, "gather");
    if (values.length > 0) gathers.set(b.node, values.map((v) => ({ name: v.name, value: perSample(v.size), grad: null, size: v.size })));
  }

  // The batch block's operands (Scratch.block): B slots of each buffer, written by the node's
  // per-sample backward at its sample's slot and read by the block's product, which reads only
  // the slots written since the last one (never cleared, outside the zeroed gradient region).
  const blockBuffers = new Map<number, { name: string; value: number; grad: null; size: number }[]>();
  const blocked = new Set((train?.backward ?? []).filter((b) => blocksGradients(graph, b, batchBlock)).map((b) => b.node));
  for (const b of train?.backward ?? []) {
    const values = blocked.has(b.node) ? scratchValues(graph, b.node, "block") : [];
    if (values.length > 0) blockBuffers.set(b.node, values.map((v) => ({ name: v.name, value: take(v.size * batchBlock.samples), grad: null, size: v.size * batchBlock.samples })));
  }

  // A fused activation whose derivative reads its input needs that input kept for the backward
  // pass (a fact of its math, src/kernel/activation.ts), beside the output it replaces.
  const preActivations = new Map<number, number>();
  for (const b of train?.backward ?? []) {
    const fused = graph.nodes[b.node]!.fused;
    if (fused && readsInput(fused.activation.math)) preActivations.set(b.node, perSample(graph.values[graph.nodes[b.node]!.output]!.size));
  }

  const gradStart = top;
  const grads = graph.values.filter((v) => v.kind === "grad").map((v) => v.id);
  for (const g of grads) placeValue(graph, g, offsets, perSample);
  // The padded input's gradient lives in the zeroed region too; only needed when dx is.
  for (const b of train?.backward ?? []) {
    const entry = padded.get(b.node);
    if (entry && b.dxs[0] !== null && !gathers.has(b.node)) padded.set(b.node, { ...entry, grad: perSample(entry.size) });
  }
  for (const b of train?.backward ?? []) {
    const entries = scratch.get(b.node);
    if (entries) scratch.set(b.node, entries.map((e) => ({ ...e, grad: perSample(e.size) })));
  }
  for (const [id, entries] of [...gathers, ...blockBuffers]) scratch.set(id, [...(scratch.get(id) ?? []), ...entries]);
  const gradRegion = { start: gradStart, end: top };

  const argmax = new Map<number, number>();
  let indexSize = 0;
  for (const id of liveSet) {
    const node = graph.nodes[id]!;
    if (ops[node.layer.op].lower.scratch?.argmax) {
      argmax.set(id, indexSize);
      indexSize += graph.values[node.output]!.size * block;
    }
  }
  const arena = options.precision === "f32" && options.float32Arena ? "Float32Array" : "Float64Array";
  const plan: MemoryPlan = {
    arena,
    roundsStores: options.precision === "f32" && arena === "Float64Array",
    arenaSize: top,
    bytes: top * (arena === "Float32Array" ? 4 : 8) + indexSize * 4,
    block,
    batchBlock: { ...batchBlock, nodes: blocked },
    lanes,
    paramOffset,
    gradOffset,
    stateOffsets,
    stateSize,
    offsets,
    gradRegion,
    masks,
    padded,
    scratch,
    preActivations,
    argmax,
    indexSize,
    batchScratch,
    folded,
    ...(trainsLayerMajor(graph) ? { sample: { start: sampleStart, stride: top - sampleStart } } : {}),
  };
  return { ...graph, live, plan };
}

/** Elements of the zero-bordered input copy the node's op asks for, or 0. */
function paddedInputSize(graph: TrainedGraph, id: number): number {
  const node = graph.nodes[id]!;
  const padded = ops[node.layer.op].lower.scratch?.padded;
  return padded ? padded(graph.values[node.inputs[0]!]!.shape, node.layer.attrs as never) : 0;
}

/** The intermediate values the node's op declares (`values`), or the buffers of its f32x4 input
 *  gradient (`gather`) or of its batch block (`block`, one slot's size), or none. */
function scratchValues(graph: TrainedGraph, id: number, kind: "values" | "gather" | "block" = "values"): readonly { name: string; size: number }[] {
  const node = graph.nodes[id]!;
  const values = ops[node.layer.op].lower.scratch?.[kind];
  return values ? values(graph.values[node.inputs[0]!]!.shape, graph.values[node.output]!.shape, node.layer.attrs as never) : [];
}

function placeValue(graph: TrainedGraph, v: ValueId, offsets: Map<ValueId, number>, take: (n: number) => number): number {
  const known = offsets.get(v);
  if (known !== undefined) return known;
  const value = graph.values[v]!;
  const at = value.aliasOf !== undefined ? placeValue(graph, value.aliasOf, offsets, take) : take(value.size);
  offsets.set(v, at);
  return at;
}
