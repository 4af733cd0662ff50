// Pass 4: the memory plan. One arena holds, in order: parameters, their gradients, optimizer
// state, activations, dropout masks, then the activation gradients (one contiguous region, so
// a single fill() clears it per sample). Aliases get their target's offset.
import type { Graph, MemoryPlan, ValueId } from "./graph.js";

export function planMemory(graph: Graph): MemoryPlan {
  const train = graph.train;
  let top = 0;
  const take = (size: number): number => {
    const at = top;
    top += size;
    return at;
  };
  const paramOffset = take(graph.paramCount);
  const gradOffset = train ? take(graph.paramCount) : null;
  const stateOffsets: number[] = [];
  for (let i = 0; i < (train ? stateBlocks(graph) : 0); i++) stateOffsets.push(take(graph.paramCount));

  const offsets = new Map<ValueId, number>();
  const liveNodes = new Set([...graph.inferNodes, ...(train?.nodes ?? [])]);
  const acts = new Set<ValueId>([graph.input]);
  for (const id of liveNodes) {
    const node = graph.nodes[id]!;
    node.inputs.forEach((v) => acts.add(v));
    acts.add(node.output);
  }
  for (const v of [...acts].sort((a, b) => a - b)) placeValue(graph, v, offsets, take);

  // Padded conv inputs: the border is written once (zeros, at allocation) and never again.
  const padded = new Map<number, { input: number; grad: number | null; size: number }>();
  const paddedSize = new Map<number, number>();
  for (const id of [...liveNodes].sort((a, b) => a - b)) {
    const size = paddedInputSize(graph, id);
    if (size > 0) paddedSize.set(id, size);
  }
  for (const [id, size] of paddedSize) padded.set(id, { input: take(size), grad: null, size });

  const masks = new Map<number, number>();
  for (const id of train?.nodes ?? []) {
    const node = graph.nodes[id]!;
    if (node.layer.op === "dropout") masks.set(id, take(graph.values[node.output]!.size));
  }

  const gradStart = top;
  const grads = graph.values.filter((v) => v.kind === "grad").map((v) => v.id);
  for (const g of grads) placeValue(graph, g, offsets, take);
  // The padded input's gradient lives in the zeroed region too; only needed when dx is.
  for (const b of train?.backward ?? []) {
    const entry = padded.get(b.node);
    if (entry && b.dxs[0] !== null) padded.set(b.node, { ...entry, grad: take(entry.size) });
  }
  const gradRegion = { start: gradStart, end: top };

  const argmax = new Map<number, number>();
  let indexSize = 0;
  for (const id of liveNodes) {
    const node = graph.nodes[id]!;
    if (node.layer.op === "maxpool" || node.layer.op === "global_maxpool") {
      argmax.set(id, indexSize);
      indexSize += graph.values[node.output]!.size;
    }
  }
  return { arenaSize: top, paramOffset, gradOffset, stateOffsets, offsets, gradRegion, masks, padded, argmax, indexSize };
}

/** Elements of the zero-bordered input copy a conv2d with padding needs, or 0. */
function paddedInputSize(graph: Graph, id: number): number {
  const layer = graph.nodes[id]!.layer;
  if (layer.op !== "conv2d") return 0;
  const p = layer.attrs.padding;
  if (p.top + p.bottom + p.left + p.right === 0) return 0;
  const [h, w, c] = graph.values[graph.nodes[id]!.inputs[0]!]!.shape as [number, number, number];
  return (h + p.top + p.bottom) * (w + p.left + p.right) * c;
}

function stateBlocks(graph: Graph): number {
  const opt = graph.train!.optimizer;
  if (opt.kind === "adam") return 2;
  return opt.momentum > 0 ? 1 : 0;
}

function placeValue(graph: Graph, v: ValueId, offsets: Map<ValueId, number>, take: (n: number) => number): number {
  const known = offsets.get(v);
  if (known !== undefined) return known;
  const value = graph.values[v]!;
  const at = value.aliasOf !== undefined ? placeValue(graph, value.aliasOf, offsets, take) : take(value.size);
  offsets.set(v, at);
  return at;
}
