// Pass 3: the backward graph. Each forward node on the loss's path gets one backward node that
// applies its op's local rule; gradients that fan out accumulate (every backward kernel adds).
import type { TrainSpec } from "../check/types.js";
import { ancestors } from "./build.js";
import type { BackwardNode, ForwardNode, Graph, LossNode, TrainGraph, Value, ValueId } from "./graph.js";

export function differentiate(graph: Graph, train: TrainSpec, inputGradient: boolean): TrainGraph {
  const live = graph.nodes.filter((n) => n.fusedInto === undefined);
  const lossInput = lossInputValue(graph, train);
  const nodes = ancestors(live, lossInput);
  const needsGrad = gradientDemand(graph, nodes, inputGradient);
  const grads = new Map<ValueId, ValueId>();
  const gradOf = (v: ValueId): ValueId => {
    let g = grads.get(v);
    if (g === undefined) {
      const act = graph.values[v]!;
      const value: Value = { id: graph.values.length, shape: act.shape, size: act.size, kind: "grad" };
      graph.values.push(value);
      g = value.id;
      grads.set(v, g);
      // The gradient of an alias is an alias of the gradient.
      if (act.aliasOf !== undefined) value.aliasOf = gradOf(act.aliasOf);
    }
    return g;
  };
  const backward: BackwardNode[] = [];
  for (const id of [...nodes].reverse()) {
    const node = graph.nodes[id]!;
    if (!needsGrad.has(node.output)) continue;
    backward.push({
      node: id,
      dy: gradOf(node.output),
      dxs: node.inputs.map((v) => (needsGrad.has(v) ? gradOf(v) : null)),
    });
  }
  const loss: LossNode = { kind: train.loss.kind, input: lossInput, dInput: gradOf(lossInput), origin: train.loss.span };
  return {
    loss,
    optimizer: train.optimizer,
    nodes,
    backward,
    dInput: inputGradient ? gradOf(graph.input) : null,
  };
}

/** The fused losses read logits (softmax cross-entropy) or the sigmoid's input (binary). */
function lossInputValue(graph: Graph, train: TrainSpec): ValueId {
  const target = graph.valueOf.get(train.loss.tensor)!;
  if (train.loss.kind !== "binary_cross_entropy") return target;
  const sigmoid = graph.nodes.find((n) => n.output === target && n.layer.op === "sigmoid");
  if (!sigmoid) throw new Error("internal: binary_cross_entropy target is not a sigmoid output");
  return sigmoid.inputs[0]!;
}

/** A value needs a gradient when a parameter (or the input, if asked) lies upstream of it. */
function gradientDemand(graph: Graph, nodes: readonly number[], inputGradient: boolean): Set<ValueId> {
  const needs = new Set<ValueId>();
  if (inputGradient) needs.add(graph.input);
  for (const id of nodes) {
    const node: ForwardNode = graph.nodes[id]!;
    if (node.params.length > 0 || node.inputs.some((v) => needs.has(v))) needs.add(node.output);
  }
  return needs;
}
