// What `cnnc check` reports per model: tensors, layers with shapes, parameters and FLOPs.
import type { CheckedModel, CheckedProgram, Shape } from "../check/types.js";
import type { SourceFile } from "../source/span.js";

export interface TensorSummary {
  readonly name: string;
  readonly shape: Shape;
  /** for a name bound with no call (`y = x`): the name of the tensor it stands for */
  readonly aliasOf?: string;
}

export interface LayerSummary {
  readonly name: string;
  readonly op: string;
  readonly shape: Shape;
  readonly params: number;
  readonly flops: number;
  readonly line: number;
}

export interface ModelSummary {
  readonly name: string;
  readonly input: TensorSummary;
  readonly output: TensorSummary;
  /** the input, every named binding, and every alias */
  readonly tensors: TensorSummary[];
  readonly layers: LayerSummary[];
  /** every stored value, as Keras' "Total params" */
  readonly params: number;
  /** what training changes: frozen layers (`trainable: false`) and batch-norm state left out */
  readonly trainableParams: number;
  readonly flops: number;
}

export function summarize(program: CheckedProgram, file: SourceFile): ModelSummary[] {
  return program.models.map((model) => summarizeModel(model, file));
}

function summarizeModel(model: CheckedModel, file: SourceFile): ModelSummary {
  const paramCount = (index: number): number => product(model.params[index]?.shape ?? []);
  const layers = model.layers.map((layer) => ({
    name: layer.name,
    op: layer.op,
    shape: shapeOf(model, layer.output),
    params: sum(layer.params.map(paramCount)),
    flops: layer.flops,
    line: file.position(layer.span.start).line,
  }));
  return {
    name: model.name,
    input: tensorSummary(model, model.input),
    output: tensorSummary(model, model.output),
    tensors: [
      ...model.tensors.filter((t) => t.name !== undefined).map((t) => ({ name: t.name!, shape: t.shape })),
      ...model.aliases.map((a) => ({ name: a.name, shape: shapeOf(model, a.tensor), aliasOf: model.tensors[a.tensor]?.name ?? "" })),
    ],
    layers,
    params: sum(model.params.map((_p, i) => paramCount(i))),
    trainableParams: sum(model.params.map((p, i) => (p.trainable ? paramCount(i) : 0))),
    flops: sum(layers.map((l) => l.flops)),
  };
}

function tensorSummary(model: CheckedModel, id: number): TensorSummary {
  return { name: model.tensors[id]?.name ?? "", shape: shapeOf(model, id) };
}

function shapeOf(model: CheckedModel, id: number): Shape {
  return model.tensors[id]?.shape ?? [];
}

function product(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
