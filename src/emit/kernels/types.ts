// The interface between the class emitter and the per-op kernel files. A kernel turns one IR
// node into straight-line TypeScript over the arena `a` (and the index arena `ix`), with every
// bound, stride and offset a literal.
import type { Shape } from "../../check/types.js";
import type { BackwardNode, ForwardNode, Graph, ValueId } from "../../ir/graph.js";

export interface KernelEnv {
  readonly graph: Graph;
  /** the arena's element type: f32 builds compute in f64 locals and round once per store */
  readonly precision: "f32" | "f64";
  /** arena offset of a value (activation or gradient) */
  off(v: ValueId): number;
  shape(v: ValueId): Shape;
  size(v: ValueId): number;
  /** arena offset of the node's k-th parameter (kernel 0, bias 1) */
  param(node: ForwardNode, k: number): number;
  /** arena offset of the gradient of the node's k-th parameter */
  paramGrad(node: ForwardNode, k: number): number;
  /** offset of the node's dropout mask in the arena */
  mask(node: ForwardNode): number;
  /** the zero-bordered copy of a padded conv2d's input and its gradient, if the node has one */
  padded(node: ForwardNode): { readonly input: number; readonly grad: number | null } | undefined;
  /** offset of the node's argmax block in the index arena */
  argmax(node: ForwardNode): number;
}

export type Mode = "infer" | "train";

export interface Kernel {
  /** Code computing the node's output (and fused activation) for one sample. In "train"
   *  mode a `training: boolean` is in scope (false when evaluating). */
  forward(node: ForwardNode, env: KernelEnv, mode: Mode): string;
  /** Code adding the node's input and parameter gradients for one sample, given dy. */
  backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): string;
}
