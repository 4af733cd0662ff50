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

  const masks = new Map<number, number>();
  for (const id of train?.nodes ?? []) {
    const node = graph.nodes[id]!;
    if (node.layer.op === "dropout") masks.set(id, take(graph.values[node.output]!.size));
  }

  const gradStart = top;
  const grads = graph.values.filter((v) => v.kind === "grad").map((v) => v.id);
  for (const g of grads) placeValue(graph, g, offsets, take);
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
  return { arenaSize: top, paramOffset, gradOffset, stateOffsets, offsets, gradRegion, masks, argmax, indexSize };
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
