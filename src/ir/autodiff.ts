// Pass 3: the backward graph. Each forward node on the loss's path gets one backward node that
// applies its op's local rule; gradients that fan out accumulate (every backward kernel adds).
import type { TrainSpec } from "../check/types.js";
import { ancestors } from "./build.js";
import type { BackwardNode, ForwardGraph, ForwardNode, LossNode, TrainedGraph, Value, ValueId } from "./graph.js";

export function differentiate(graph: ForwardGraph, train: TrainSpec | undefined, inputGradient: boolean): TrainedGraph {
  if (!train) return { ...graph, train: null };
  const live = graph.nodes.filter((n) => n.fusedInto === undefined);
  const lossInput = lossInputValue(graph, train);
  const nodes = ancestors(live, lossInput);
  const needsGrad = gradientDemand(graph, nodes, inputGradient);
  const values: Value[] = [...graph.values];
  const grads = new Map<ValueId, ValueId>();
  const gradOf = (v: ValueId): ValueId => {
    const known = grads.get(v);
    if (known !== undefined) return known;
    const act = values[v]!;
    const id = values.length;
    const grad: Value = { id, shape: act.shape, size: act.size, kind: "grad" };
    values.push(grad);
    grads.set(v, id);
    // The gradient of an alias is an alias of the gradient.
    if (act.aliasOf !== undefined) values[id] = { ...grad, aliasOf: gradOf(act.aliasOf) };
    return id;
  };
  const backward: BackwardNode[] = [];
  for (const id of [...nodes].reverse()) {
    const node = graph.nodes[id]!;
    if (!needsGrad.has(node.output)) continue;
    backward.push({
      node: id,
      dy: gradOf(node.output),
      dxs: node.inputs.map((v) => (needsGrad.has(v) ? gradOf(v) : null)),
      paramGrads: trains(graph, node),
    });
  }
  const loss: LossNode = {
    kind: train.loss.kind,
    labelSmoothing: train.loss.labelSmoothing ?? 0,
    delta: train.loss.delta ?? 1,
    input: lossInput,
    dInput: gradOf(lossInput),
    targetSize: graph.values[lossInput]!.size,
    origin: train.loss.span,
  };
  const dInput = inputGradient ? gradOf(graph.input) : null;
  return { ...graph, values, train: { loss, optimizer: train.optimizer, nodes, backward, dInput, gradients: grads } };
}

/** The fused losses read logits (softmax cross-entropy) or the sigmoid's input (binary). */
function lossInputValue(graph: ForwardGraph, train: TrainSpec): ValueId {
  const target = graph.valueOf.get(train.loss.tensor)!;
  if (train.loss.kind !== "binary_cross_entropy") return target;
  // the checker guarantees the tensor is a sigmoid's output (CNN2xxx otherwise)
  const sigmoid = graph.nodes.find((n) => n.output === target && n.layer.op === "sigmoid");
  if (!sigmoid) throw new Error("internal: binary_cross_entropy target is not a sigmoid output");
  return sigmoid.inputs[0]!;
}

/** Whether the node has parameters that train (a frozen layer's get no gradient). */
function trains(graph: ForwardGraph, node: ForwardNode): boolean {
  return node.params.some((p) => graph.params[p]!.trainable);
}

/** A value needs a gradient when a trainable parameter (or the input, if asked) lies upstream of it. */
function gradientDemand(graph: ForwardGraph, nodes: readonly number[], inputGradient: boolean): Set<ValueId> {
  const needs = new Set<ValueId>();
  if (inputGradient) needs.add(graph.input);
  for (const id of nodes) {
    const node: ForwardNode = graph.nodes[id]!;
    if (trains(graph, node) || node.inputs.some((v) => needs.has(v))) needs.add(node.output);
  }
  return needs;
}
