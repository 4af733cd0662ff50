// Pass 1: one forward node per checked layer, one value per checked tensor; parameters laid out
// contiguously in declaration order.
import type { CheckedModel } from "../check/types.js";
import { ops } from "../ops/index.js";
import type { ForwardGraph, ForwardNode, ParamInfo, Value, ValueId } from "./graph.js";

export function buildForward(model: CheckedModel): ForwardGraph {
  const valueOf = new Map<number, ValueId>(model.tensors.map((t, id) => [t.id, id]));
  const at = (t: number): ValueId => {
    const v = valueOf.get(t);
    if (v === undefined) throw new Error(`internal: tensor ${t} has no value`);
    return v;
  };
  const nodes: ForwardNode[] = model.layers.map((layer, id) => ({
    id,
    layer,
    inputs: layer.inputs.map(at),
    output: at(layer.output),
    params: layer.params,
    origin: layer.span,
  }));
  // A pure reshape shares its input's storage: no copy in either direction.
  const aliasOf = new Map<ValueId, ValueId>();
  for (const node of nodes) if (ops[node.layer.op].lower.aliasesInput) aliasOf.set(node.output, node.inputs[0]!);
  const values: Value[] = model.tensors.map((tensor, id) => {
    const value = { id, shape: tensor.shape, size: product(tensor.shape), kind: "act" as const };
    const alias = aliasOf.get(id);
    return alias === undefined ? value : { ...value, aliasOf: alias };
  });
  let offset = 0;
  const params: ParamInfo[] = model.params.map((p) => {
    const size = product(p.shape);
    // batch-norm state is stored with the weights but never trained (Keras' non-trainable weights)
    const info = { name: p.name, shape: p.shape, size, init: p.init, trainable: p.trainable && !p.state, offset, ...(p.state ? { state: true } : {}) };
    offset += size;
    return info;
  });
  return {
    model,
    values,
    nodes,
    valueOf,
    input: at(model.input),
    output: at(model.output),
    params,
    paramCount: offset,
    inferNodes: ancestors(nodes, at(model.output)),
  };
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The nodes needed to compute `target`, in forward order. */
export function ancestors(nodes: readonly ForwardNode[], target: ValueId): number[] {
  const producer = new Map<ValueId, ForwardNode>();
  for (const n of nodes) producer.set(n.output, n);
  const needed = new Set<number>();
  const stack = [target];
  while (stack.length > 0) {
    const v = stack.pop()!;
    const n = producer.get(v);
    if (!n || needed.has(n.id)) continue;
    needed.add(n.id);
    stack.push(...n.inputs);
  }
  return nodes.filter((n) => needed.has(n.id)).map((n) => n.id);
}
