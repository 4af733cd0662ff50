// After a model checks: what does nothing. Layers that reach neither the output nor the loss are
// reported (one warning per binding) and left out of the checked model, so they are not
// allocated, initialised, saved or counted; a loss no parameter influences and a dropout in a
// model that never trains are reported too. Surviving layers keep their names, so parameter
// names do not change when a dead branch is deleted.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { deadBinding, dropoutWithoutTraining, lossWithoutParameters } from "../diagnostics/warnings.js";
import { cover } from "../source/span.js";
import type { CheckedModel, Layer, Param, Tensor, TensorId } from "./types.js";

export function pruneModel(model: CheckedModel, report: (diagnostic: Diagnostic) => void): CheckedModel {
  const live = liveLayers(model, [model.output, ...(model.train ? [model.train.loss.tensor] : [])]);
  reportDead(model, live, report);
  if (model.train && !ancestors(model, model.train.loss.tensor).some((l) => model.layers[l]!.params.length > 0)) {
    report(lossWithoutParameters(model.train.loss.span, model.tensors[model.train.loss.tensor]?.name ?? "?"));
  }
  if (!model.train) {
    for (const layer of model.layers) if (layer.op === "dropout" && live.has(layer.index)) report(dropoutWithoutTraining(layer.span, model.name));
  }
  return live.size === model.layers.length ? model : withoutDead(model, live);
}

/** Indices of the layers `roots` depend on. */
function liveLayers(model: CheckedModel, roots: readonly TensorId[]): Set<number> {
  return new Set(roots.flatMap((root) => ancestors(model, root)));
}

function ancestors(model: CheckedModel, root: TensorId): number[] {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const producer = model.tensors[stack.pop()!]?.producer;
    if (producer === null || producer === undefined || seen.has(producer)) continue;
    seen.add(producer);
    stack.push(...model.layers[producer]!.inputs);
  }
  return [...seen];
}

// A binding's layers live or die together: only its last layer's result has a name to use.
function reportDead(model: CheckedModel, live: ReadonlySet<number>, report: (diagnostic: Diagnostic) => void): void {
  const byBinding = new Map<string, Layer[]>();
  for (const layer of model.layers.filter((l) => !live.has(l.index))) {
    const group = byBinding.get(layer.binding) ?? [];
    group.push(layer);
    byBinding.set(layer.binding, group);
  }
  const output = model.tensors[model.output]!;
  const size = (p: Param): number => p.shape.reduce((a, b) => a * b, 1);
  for (const [binding, layers] of byBinding) {
    const params = layers.flatMap((l) => l.params.map((i) => size(model.params[i]!))).reduce((a, b) => a + b, 0);
    const span = cover(layers[0]!.span, layers[layers.length - 1]!.span);
    report(deadBinding(span, binding, layers.length, params, { name: output.name ?? "?", span: output.span }));
  }
}

/** The model with only the live layers, their tensors and parameters, renumbered densely. */
function withoutDead(model: CheckedModel, live: ReadonlySet<number>): CheckedModel {
  const layerIndex = new Map<number, number>();
  for (const layer of model.layers) if (live.has(layer.index)) layerIndex.set(layer.index, layerIndex.size);
  const tensorId = new Map<TensorId, TensorId>();
  const tensors: Tensor[] = [];
  for (const t of model.tensors) {
    if (t.producer !== null && !layerIndex.has(t.producer)) continue;
    tensorId.set(t.id, tensors.length);
    tensors.push({ ...t, id: tensors.length, producer: t.producer === null ? null : layerIndex.get(t.producer)! });
  }
  const paramIndex = new Map<number, number>();
  const params: Param[] = [];
  model.params.forEach((p, i) => {
    if (!layerIndex.has(p.layer)) return;
    paramIndex.set(i, params.length);
    params.push({ ...p, layer: layerIndex.get(p.layer)! });
  });
  const layers = model.layers
    .filter((l) => live.has(l.index))
    .map((l): Layer => ({
      ...l,
      index: layerIndex.get(l.index)!,
      inputs: l.inputs.map((id) => tensorId.get(id)!),
      output: tensorId.get(l.output)!,
      params: l.params.map((i) => paramIndex.get(i)!),
    }));
  const aliases = model.aliases.filter((a) => tensorId.has(a.tensor)).map((a) => ({ ...a, tensor: tensorId.get(a.tensor)! }));
  const base = { ...model, tensors, layers, params, input: tensorId.get(model.input)!, output: tensorId.get(model.output)!, aliases };
  if (model.train === undefined) return base;
  return { ...base, train: { ...model.train, loss: { ...model.train.loss, tensor: tensorId.get(model.train.loss.tensor)! } } };
}
