// Pass 2: fold an activation into the conv2d/dense loop that produces its input, when nothing
// else reads the pre-activation value. Saves one pass over memory forward and backward.
import type { LossSpec } from "../check/types.js";
import type { FusedActivation, ForwardNode, Graph, ValueId } from "./graph.js";

const producers = new Set(["conv2d", "dense"]);

export function fuseActivations(graph: Graph): void {
  const loss = graph.model.train?.loss;
  const pinned = pinnedValues(graph, loss);
  const consumers = countConsumers(graph.nodes);
  const producerOf = new Map<ValueId, ForwardNode>(graph.nodes.map((n) => [n.output, n]));
  for (const node of graph.nodes) {
    const activation = asFusable(node);
    if (!activation) continue;
    const input = node.inputs[0]!;
    const producer = producerOf.get(input);
    if (!producer || producer.fused || !producers.has(producer.layer.op)) continue;
    if (consumers.get(input) !== 1 || pinned.has(input)) continue;
    // binary_cross_entropy reads the sigmoid's input, so that sigmoid must stay a node.
    if (loss?.kind === "binary_cross_entropy" && graph.valueOf.get(loss.tensor) === node.output) continue;
    producer.fused = { activation, layer: node.layer };
    producer.output = node.output;
    node.fusedInto = producer.id;
    producerOf.set(node.output, producer);
  }
}

function asFusable(node: ForwardNode): FusedActivation | undefined {
  const layer = node.layer;
  switch (layer.op) {
    case "relu":
    case "sigmoid":
    case "tanh":
      return { op: layer.op };
    case "leaky_relu":
      return { op: "leaky_relu", alpha: layer.attrs.alpha };
    default:
      return undefined;
  }
}

/** Values something outside the node list reads: the model output and the loss input. */
function pinnedValues(graph: Graph, loss: LossSpec | undefined): Set<ValueId> {
  const pinned = new Set<ValueId>([graph.output]);
  if (loss) pinned.add(graph.valueOf.get(loss.tensor)!);
  return pinned;
}

function countConsumers(nodes: readonly ForwardNode[]): Map<ValueId, number> {
  const counts = new Map<ValueId, number>();
  for (const n of nodes) for (const v of n.inputs) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
