// What one loss file defines: its signature and what it requires of the tensor it scores.
import { required, type Signature } from "../args/bind.js";
import { tensorKind } from "../args/kinds.js";
import type { Span } from "../../source/span.js";
import type { DraftTensor, ModelState } from "../state.js";
import type { LossKind, LossSpec, TensorId } from "../types.js";

export interface LossArgs {
  readonly tensor: TensorId;
}

export const lossSignature: Signature<LossArgs> = { tensor: required(tensorKind) };

/** The tensor as the user wrote it, with its known shape. */
export interface LossTarget {
  readonly id: TensorId;
  readonly tensor: DraftTensor & { readonly shape: readonly number[] };
  /** the name written in the call, which may be an alias */
  readonly written: string;
  /** the argument, where diagnostics point */
  readonly span: Span;
}

export interface LossDef {
  readonly name: LossKind;
  /** the arguments after the tensor (label_smoothing, delta), if it takes any */
  readonly signature?: Signature<LossArgs & Record<string, unknown>>;
  /** the spec's fields those arguments give */
  readonly options?: (args: Record<string, unknown>) => Pick<LossSpec, "labelSmoothing" | "delta">;
  /** whether it scores classes, so training reports an accuracy */
  readonly classifies: boolean;
  /** false after reporting why the tensor does not suit this loss */
  readonly validate: (target: LossTarget, state: ModelState) => boolean;
}
