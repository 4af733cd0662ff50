// The interface between the class emitter and the per-op kernel files. A kernel turns one IR
// node into a kernel tree (src/kernel/ir.ts) over named regions of the arena and the index
// arena, with every bound, stride and offset a literal.
import type { Shape } from "../../check/types.js";
import type { BackwardNode, ForwardNode, Graph, ValueId } from "../../ir/graph.js";
import type { Region, Stmt } from "../../kernel/ir.js";
import type { ChannelFold } from "../../ops/op.js";

export interface KernelEnv {
  readonly graph: Graph;
  /** f32 builds compute in f64 locals and round once per store (their f32x4 kernels, where
   *  `lanes` is 4, in f32) */
  readonly precision: "f32" | "f64";
  /** the widest vector the target computes in: 4 (f32x4) on the wasm target's f32 builds,
   *  whose conv2d, dense and maxpool kernels then use it (conv2d-simd.ts, dense-simd.ts,
   *  maxpool-simd.ts); 1 elsewhere (the TypeScript target, f64 builds) */
  readonly lanes: 1 | 4;
  /** the plain schedule for readers: straight loops, no tiles (the op's algorithm as written) */
  readonly readable: boolean;
  /** the region holding a value (activation or gradient) */
  value(v: ValueId): Region;
  shape(v: ValueId): Shape;
  size(v: ValueId): number;
  /** the region of the node's k-th parameter (kernel 0, bias 1) */
  param(node: ForwardNode, k: number): Region;
  /** the region of the gradient of the node's k-th parameter */
  paramGrad(node: ForwardNode, k: number): Region;
  /** the node's dropout mask */
  mask(node: ForwardNode): Region;
  /** the zero-bordered copy of a padded conv2d's input and its gradient, if the node has one */
  padded(node: ForwardNode): { readonly input: Region; readonly grad: Region | null } | undefined;
  /** an intermediate value the node's op declared (Scratch.values), and its gradient (null
   *  without training) */
  scratch(node: ForwardNode, name: string): { readonly value: Region; readonly grad: Region | null };
  /** the pre-activation kept while training for the node's fused activation, when that
   *  activation's derivative reads its input (gelu, silu, ...); undefined otherwise */
  preActivation(node: ForwardNode): Region | undefined;
  /** the node's argmax block in the index arena */
  argmax(node: ForwardNode): Region;
  /** scratch shared by the whole batch (a batchnorm's statistics) */
  batchScratch(node: ForwardNode): Region;
}

export type Mode = "infer" | "train";

export interface Kernel {
  /** The node's output (and fused activation) for one sample. In "train" mode a
   *  `training: boolean` is in scope (false when evaluating). */
  forward(node: ForwardNode, env: KernelEnv, mode: Mode): Stmt[];
  /** Adds the node's input and parameter gradients for one sample, given dy. */
  backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[];
  /** the parameter gradients over the batch block, on the builds that have one (B > 1:
   *  batchBlock in src/options.ts; dense-simd.ts) */
  readonly block?: BlockKernel;
}

/** The method parameter of a blocked backward kernel that holds its sample's slot in the block
 *  (0 to B - 1: the sample's index in the batch, mod B). */
export const BLOCK_SLOT = "slot";

/** The batch block of an op's parameter gradients. Its backward runs once per sample as the
 *  op's backward does, but leaves the parameter gradients: it keeps what they need (dense: x and
 *  dy) at slot BLOCK_SLOT of the buffers the op declares (Scratch.block). `product` adds the
 *  parameter gradients of the first `count` slots, count a literal from 1 to B: the generated
 *  code calls the one for B each time B samples have gone backward, and the one for the last
 *  partial block's count at the end of the batch, so no loop bound is a run-time value and no
 *  work is done for an empty slot. */
export interface BlockKernel {
  backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[];
  product(node: ForwardNode, grad: BackwardNode, env: KernelEnv, count: number): Stmt[];
}

/** One step of a batch kernel: `once` runs a single time with the batch size `n` in scope;
 *  `each` runs for every sample of the batch, its per-sample regions at that sample's copy. */
export type Phase = { readonly once: readonly Stmt[] } | { readonly each: readonly Stmt[] };

/** An op that needs the whole batch while training (batchnorm): its training forward and
 *  backward as phases, the update it makes once per optimizer step, and how it folds into the
 *  layer before it when predicting. */
export interface BatchKernel {
  forward(node: ForwardNode, env: KernelEnv): Phase[];
  backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Phase[];
  /** once per trainBatch step, after the gradients (the moving statistics) */
  update(node: ForwardNode, env: KernelEnv): Stmt[];
  /** writes the folded kernel and bias of `producer` (a `foldsChannelScale` op) that this node follows */
  fold(node: ForwardNode, producer: ForwardNode, env: KernelEnv, target: { readonly kernel: Region; readonly bias: Region }, fold: ChannelFold): Stmt[];
}
