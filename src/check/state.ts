// The model being checked: tensors and layers found so far, with unknown shapes after errors.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TensorOrigin } from "../diagnostics/shapes.js";
import type { Ident, NameValue } from "../syntax/ast.js";
import type { Span } from "../source/span.js";
import type { BindContext } from "./args/bind.js";
import type { Limits } from "./limits.js";
import type { OpResult, ParamDraft } from "../ops/op.js";
import type { Scope } from "./scope.js";
import type { LayerSpec, OpName, Shape, TensorId } from "./types.js";

export interface DraftTensor {
  readonly id: TensorId;
  name?: string;
  /** null when an error upstream left it unknown; checks that depend on it stay silent */
  readonly shape: Shape | null;
  readonly producer: number | null;
  readonly span: Span;
}

export interface DraftLayer {
  readonly spec: LayerSpec;
  readonly binding: string;
  readonly inputs: readonly TensorId[];
  readonly output: TensorId;
  readonly params: readonly ParamDraft[];
  readonly flops: number;
  readonly span: Span;
  /** index into ModelState.slots */
  readonly slot: number;
}

/** One call of a known op, whether or not it checked; layer names are given per slot. */
export interface NamingSlot {
  readonly binding: string;
  readonly op: OpName;
  readonly hasParams: boolean;
  readonly as?: Ident;
  readonly span: Span;
}

/**
 * What the checker learned of one model, errors or not: every tensor and layer it could work out
 * (unknown shapes are null). Editors show it while the file has errors; the IR never sees it.
 */
export interface ModelDraft {
  readonly name: string;
  readonly span: Span;
  readonly tensors: readonly DraftTensor[];
  readonly layers: readonly DraftLayer[];
  /** one per naming slot, as the checked model's layer names */
  readonly layerNames: readonly string[];
}

export class ModelState {
  readonly tensors: DraftTensor[] = [];
  readonly layers: DraftLayer[] = [];
  readonly slots: NamingSlot[] = [];
  readonly aliases: { readonly name: string; readonly tensor: TensorId }[] = [];

  constructor(
    readonly limits: Limits,
    readonly scope: Scope,
    readonly report: (diagnostic: Diagnostic) => void,
  ) {}

  addTensor(shape: Shape | null, span: Span, producer: number | null, name?: string): TensorId {
    const id = this.tensors.length;
    this.tensors.push(name === undefined ? { id, shape, span, producer } : { id, shape, span, producer, name });
    return id;
  }

  /** A tensor whose shape an error made unknown. */
  unknown(span: Span): TensorId {
    return this.addTensor(null, span, null);
  }

  tensor(id: TensorId): DraftTensor {
    return this.tensors[id]!;
  }

  producerOf(id: TensorId): DraftLayer | undefined {
    const producer = this.tensor(id).producer;
    return producer === null ? undefined : this.layers[producer];
  }

  /** For notes; only called on tensors whose shape is known. */
  origin(id: TensorId): TensorOrigin {
    const tensor = this.tensor(id);
    const producer = this.producerOf(id)?.spec.op;
    return { name: tensor.name, shape: tensor.shape ?? [], span: tensor.span, producer };
  }

  addSlot(slot: NamingSlot): number {
    this.slots.push(slot);
    return this.slots.length - 1;
  }

  /** `result.spec` is one member of LayerSpec: the registry pairs each op with its attributes */
  addLayer(result: Omit<OpResult, "spec"> & { readonly spec: LayerSpec }, inputs: readonly TensorId[], binding: string, span: Span, slot: number): TensorId {
    const index = this.layers.length;
    const output = this.addTensor(result.shape, span, index);
    this.layers.push({ spec: result.spec, binding, inputs, output, params: result.params, flops: result.flops, span, slot });
    return output;
  }

  bindContext(): BindContext {
    const resolveTensor = (name: NameValue): TensorId | undefined => this.scope.resolve(name.name, name.span);
    return { limits: this.limits, report: this.report, resolveTensor };
  }
}
