// Turns a model that checked without errors into the CheckedModel the IR consumes.
import type { ModelDecl } from "../syntax/ast.js";
import type { ModelState } from "./state.js";
import type { CheckedModel, Layer, Param, Tensor, TensorId, TrainSpec } from "./types.js";

export interface ModelParts {
  readonly input: TensorId;
  readonly output: TensorId;
  readonly train?: TrainSpec;
  /** one per naming slot */
  readonly layerNames: readonly string[];
}

export function finishModel(model: ModelDecl, state: ModelState, parts: ModelParts): CheckedModel {
  const params: Param[] = [];
  const layers = state.layers.map((draft, index): Layer => {
    const name = parts.layerNames[draft.slot]!;
    const indices = draft.params.map((param) => params.push({ ...param, name: `${name}.${param.role}`, layer: index }) - 1);
    const { spec, binding, inputs, output, flops, span } = draft;
    return { ...spec, index, name, binding, inputs, output, params: indices, flops, span };
  });
  const tensors = state.tensors.map((draft): Tensor => {
    // every unknown shape comes with an error, and finishModel only runs without errors
    if (draft.shape === null) throw new Error(`internal: tensor ${draft.id} has no shape in a model without errors`);
    const { id, name, shape, producer, span } = draft;
    return name === undefined ? { id, shape, producer, span } : { id, name, shape, producer, span };
  });
  const aliases = [...state.aliases];
  const base = { name: model.name.name, span: model.span, tensors, layers, params, input: parts.input, output: parts.output, aliases };
  return parts.train === undefined ? base : { ...base, train: parts.train };
}
