// Checks the invariants every later pass relies on, after each pass. A failure is a compiler
// bug, reported as a CNN9001 diagnostic naming the model, the pass and the node.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { irInvariantBroken } from "../diagnostics/internal.js";
import type { ForwardGraph, Graph, TrainedGraph } from "./graph.js";

/** What is wrong with the graph after `pass`, as diagnostics (none when all holds). */
export function verify(graph: ForwardGraph | TrainedGraph | Graph, pass: string): Diagnostic[] {
  const problems = [...forwardProblems(graph), ...("train" in graph ? trainProblems(graph) : []), ...("plan" in graph ? planProblems(graph) : [])];
  return problems.map((what) => irInvariantBroken(graph.model.span, graph.model.name, pass, what));
}

const nodeName = (graph: ForwardGraph, id: number): string => {
  const layer = graph.nodes[id]!.layer;
  return `node ${id} (${layer.op} '${layer.name}')`;
};

function forwardProblems(graph: ForwardGraph): string[] {
  const out: string[] = [];
  const seen = new Set<number>([graph.input]);
  for (const node of graph.nodes) {
    if (node.fusedInto !== undefined) continue;
    for (const v of node.inputs) if (!seen.has(v)) out.push(`has ${nodeName(graph, node.id)} read value ${v} before it is produced`);
    seen.add(node.output);
  }
  for (const value of graph.values) {
    if (value.aliasOf === undefined) continue;
    const target = graph.values[value.aliasOf];
    if (!target || target.size !== value.size || target.kind !== value.kind) out.push(`has value ${value.id} alias an incompatible value`);
  }
  return out;
}

function trainProblems(graph: TrainedGraph): string[] {
  const out: string[] = [];
  for (const b of graph.train?.backward ?? []) {
    const node = graph.nodes[b.node]!;
    if (graph.values[b.dy]!.size !== graph.values[node.output]!.size) out.push(`gives ${nodeName(graph, node.id)} an output gradient of the wrong size`);
    b.dxs.forEach((dx, i) => {
      if (dx !== null && graph.values[dx]!.size !== graph.values[node.inputs[i]!]!.size) out.push(`gives ${nodeName(graph, node.id)} an input gradient ${i} of the wrong size`);
    });
  }
  return out;
}

/** Non-aliased buffers never overlap and all lie inside the arena. */
function planProblems(graph: Graph): string[] {
  const out: string[] = [];
  const plan = graph.plan;
  const spans: [number, number, number][] = [];
  for (const [v, at] of plan.offsets) {
    const value = graph.values[v]!;
    const size = value.size * plan.block;
    if (at < 0 || at + size > plan.arenaSize) out.push(`places value ${v} outside the arena`);
    if (value.aliasOf === undefined) spans.push([at, at + size, v]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) out.push(`places values ${spans[i - 1]![2]} and ${spans[i]![2]} on overlapping storage`);
  }
  return out;
}
