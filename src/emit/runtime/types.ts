// What the hand-written runtime methods (fit, safetensors, ...) may know about the model.
// They are spliced into the generated class; they see the class only through its public
// surface and the fields named here.
import type { LossKind } from "../../check/types.js";

export interface RuntimeContext {
  readonly className: string;
  readonly modelName: string;
  /** the arena's element type */
  readonly array: "Float32Array" | "Float64Array";
  /** safetensors dtype of that element type */
  readonly dtype: "F32" | "F64";
  readonly inputSize: number;
  readonly outputSize: number;
  /** in declaration order, Keras layouts */
  readonly params: readonly { readonly name: string; readonly shape: readonly number[]; readonly size: number }[];
  /** null for an inference-only model */
  readonly train: null | {
    readonly loss: LossKind;
    readonly classification: boolean;
    /** values per sample of the targets: the size of the tensor the loss is defined on */
    readonly targetSize: number;
  };
  /** hex digest identifying the architecture (op list, shapes, parameter names) */
  readonly archHash: string;
}
