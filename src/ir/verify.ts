// Checks the invariants every later pass relies on; a failure is a compiler bug (CNN9xxx).
import type { Graph } from "./graph.js";

export function verify(graph: Graph): void {
  const fail = (what: string): never => {
    throw new Error(`internal compiler error: IR invariant broken in model ${graph.model.name}: ${what}`);
  };
  const seen = new Set<number>([graph.input]);
  for (const node of graph.nodes) {
    if (node.fusedInto !== undefined) continue;
    for (const v of node.inputs) if (!seen.has(v)) fail(`node ${node.id} (${node.layer.op}) reads value ${v} before it is produced`);
    seen.add(node.output);
  }
  for (const value of graph.values) {
    if (value.aliasOf === undefined) continue;
    const target = graph.values[value.aliasOf];
    if (!target || target.size !== value.size || target.kind !== value.kind) fail(`value ${value.id} aliases an incompatible value`);
  }
  const train = graph.train;
  if (train) {
    for (const b of train.backward) {
      const node = graph.nodes[b.node]!;
      if (graph.values[b.dy]!.size !== graph.values[node.output]!.size) fail(`gradient of node ${node.id} has the wrong size`);
      b.dxs.forEach((dx, i) => {
        if (dx !== null && graph.values[dx]!.size !== graph.values[node.inputs[i]!]!.size) fail(`input gradient ${i} of node ${node.id} has the wrong size`);
      });
    }
  }
  const plan = graph.plan;
  if (plan) verifyPlan(graph, fail);
}

/** Non-aliased buffers never overlap and all lie inside the arena. */
function verifyPlan(graph: Graph, fail: (what: string) => never): void {
  const plan = graph.plan!;
  const spans: [number, number, number][] = [];
  for (const [v, at] of plan.offsets) {
    const value = graph.values[v]!;
    if (at < 0 || at + value.size > plan.arenaSize) fail(`value ${v} lies outside the arena`);
    if (value.aliasOf === undefined) spans.push([at, at + value.size, v]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) fail(`values ${spans[i - 1]![2]} and ${spans[i]![2]} overlap`);
  }
}
