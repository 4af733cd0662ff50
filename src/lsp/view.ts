// One model as the editor features see it: the checked model when the file has no error, else
// the checker's draft (every shape it could work out, null where an error left it unknown).
import type { ModelDraft } from "../check/state.js";
import { elementCount } from "../check/sizes.js";
import type { CheckedModel, LayerSpec, Shape } from "../check/types.js";
import type { ModelSummary } from "../cli/summary.js";
import type { Span } from "../source/span.js";

export interface TensorView {
  readonly id: number;
  readonly name?: string;
  readonly shape: Shape | null;
  readonly producer: number | null;
  readonly span: Span;
}

export type LayerView = LayerSpec & {
  readonly name: string;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly span: Span;
  readonly flops: number;
  readonly params: readonly { readonly name: string; readonly shape: Shape }[];
  readonly paramCount: number;
};

export interface ModelView {
  /** false for a draft: the model has errors, and some shapes may be unknown */
  readonly complete: boolean;
  readonly tensors: readonly TensorView[];
  readonly layers: readonly LayerView[];
}

/** The checked model, with the parameter counts `cnnc check` prints. */
export function checkedView(model: CheckedModel, summary: ModelSummary): ModelView {
  const layers = model.layers.map((layer): LayerView => {
    const params = layer.params.map((index) => ({ name: model.params[index]!.name, shape: model.params[index]!.shape }));
    return { ...layer, params, paramCount: summary.layers[layer.index]!.params };
  });
  return { complete: true, tensors: model.tensors, layers };
}

/** The layers the checker could work out, named as the checked model would name them. */
export function draftView(draft: ModelDraft): ModelView {
  const layers = draft.layers.map((layer): LayerView => {
    const name = draft.layerNames[layer.slot]!;
    const params = layer.params.map((param) => ({ name: `${name}.${param.role}`, shape: param.shape }));
    const paramCount = params.reduce((sum, param) => sum + elementCount(param.shape), 0);
    const { spec, inputs, output, span, flops } = layer;
    return { ...spec, name, inputs, output, span, flops, params, paramCount };
  });
  return { complete: false, tensors: draft.tensors, layers };
}
