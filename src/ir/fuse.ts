// Pass 2: fold an activation into the conv2d/dense loop that produces its input, when nothing
// else reads the pre-activation value. Saves one pass over memory forward and backward.
import type { LossSpec } from "../check/types.js";
import { ops } from "../ops/index.js";
import { ancestors } from "./build.js";
import type { FusedActivation, ForwardGraph, ForwardNode, ValueId } from "./graph.js";

export function fuseActivations(graph: ForwardGraph): ForwardGraph {
  const loss = graph.model.train?.loss;
  const pinned = pinnedValues(graph, loss);
  const consumers = countConsumers(graph.nodes);
  const nodes = [...graph.nodes];
  const producerOf = new Map<ValueId, number>(nodes.map((n) => [n.output, n.id]));
  for (const node of graph.nodes) {
    const activation = asFusable(node);
    if (!activation) continue;
    const input = node.inputs[0]!;
    const at = producerOf.get(input);
    const producer = at === undefined ? undefined : nodes[at]!;
    if (!producer || producer.fused || !ops[producer.layer.op].lower.fusesActivation) continue;
    if (consumers.get(input) !== 1 || pinned.has(input)) continue;
    // binary_cross_entropy reads the sigmoid's input, so that sigmoid must stay a node.
    if (loss?.kind === "binary_cross_entropy" && graph.valueOf.get(loss.tensor) === node.output) continue;
    nodes[producer.id] = { ...producer, fused: { activation, layer: node.layer }, output: node.output };
    nodes[node.id] = { ...node, fusedInto: producer.id };
    producerOf.set(node.output, producer.id);
  }
  const live = nodes.filter((n) => n.fusedInto === undefined);
  return { ...graph, nodes, inferNodes: ancestors(live, graph.output) };
}

function asFusable(node: ForwardNode): FusedActivation | undefined {
  const math = ops[node.layer.op].lower.activation;
  return math ? { op: node.layer.op, math: math(node.layer.attrs as never) } : undefined;
}

/** Values something outside the node list reads: the model output and the loss input. */
function pinnedValues(graph: ForwardGraph, loss: LossSpec | undefined): Set<ValueId> {
  const pinned = new Set<ValueId>([graph.output]);
  if (loss) pinned.add(graph.valueOf.get(loss.tensor)!);
  return pinned;
}

function countConsumers(nodes: readonly ForwardNode[]): Map<ValueId, number> {
  const counts = new Map<ValueId, number>();
  for (const n of nodes) for (const v of n.inputs) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
