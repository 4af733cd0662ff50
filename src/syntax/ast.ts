// The typed AST. Every node carries the span of the source it came from.
import type { Span } from "../source/span.js";

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

export interface Program {
  readonly kind: "program";
  readonly models: readonly ModelDecl[];
  readonly span: Span;
}

export interface ModelDecl {
  readonly kind: "model";
  readonly name: Ident;
  readonly stmts: readonly Stmt[];
  readonly span: Span;
}

export type Stmt = InputStmt | BindingStmt | OutputStmt | TrainStmt;

/** `input image: [28, 28, 1]` */
export interface InputStmt {
  readonly kind: "input";
  readonly name: Ident;
  readonly shape: ShapeLit;
  readonly span: Span;
}

/** `features: [4, 4, 16] = image |> conv2d(...)` */
export interface BindingStmt {
  readonly kind: "binding";
  readonly name: Ident;
  readonly shape?: ShapeLit;
  readonly pipeline: Pipeline;
  readonly span: Span;
}

/** `output probs = logits |> softmax`, or `output logits` naming a bound tensor. */
export interface OutputStmt {
  readonly kind: "output";
  readonly name: Ident;
  readonly shape?: ShapeLit;
  readonly pipeline?: Pipeline;
  readonly span: Span;
}

export interface TrainStmt {
  readonly kind: "train";
  readonly entries: readonly TrainEntry[];
  readonly span: Span;
}

export interface TrainEntry {
  readonly kind: "loss" | "optimizer";
  readonly call: Call;
  /** from the keyword to the end of the call */
  readonly span: Span;
}

export interface Pipeline {
  readonly source: Source;
  /** the calls after each `|>`, in order */
  readonly calls: readonly Call[];
  readonly span: Span;
}

/** A pipeline starts at a tensor name or at a call that takes tensors, such as `add(a, b)`. */
export type Source = NameRef | Call;

export interface NameRef {
  readonly kind: "ref";
  readonly name: Ident;
  readonly span: Span;
}

export interface Call {
  readonly kind: "call";
  readonly callee: Ident;
  readonly args: readonly Arg[];
  /** false for a bare `relu`, true for `relu()` */
  readonly hasParens: boolean;
  readonly as?: Ident;
  readonly span: Span;
}

export interface Arg {
  /** present for `name: value` */
  readonly name?: Ident;
  readonly value: Value;
  readonly span: Span;
}

/** `cosine` in `schedule: cosine`, `same` in `padding: same`, or a tensor name in `add(a, b)` */
export interface NameValue {
  readonly kind: "name";
  readonly name: string;
  readonly span: Span;
}

export interface NumberValue {
  readonly kind: "number";
  /** the parsed value; may be Infinity or imprecise for huge literals, see `text` */
  readonly value: number;
  /** the literal as written */
  readonly text: string;
  /** written without a fraction or exponent */
  readonly isInt: boolean;
  readonly span: Span;
}

export interface ShapeLit {
  readonly kind: "shape";
  readonly dims: readonly NumberValue[];
  readonly span: Span;
}

/** A call used as a value, as in `schedule: step(every: 10, gamma: 0.5)`. */
export type Value = NumberValue | NameValue | ShapeLit | Call;
