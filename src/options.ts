import type { Limits } from "./check/limits.js";

export interface CompileOptions {
  /** the source path, for diagnostics and the generated header */
  readonly path: string;
  /** the module's language: TypeScript, or JavaScript with its declarations (a .d.ts) beside it */
  readonly emit: "ts" | "js";
  /** where the kernels run: TypeScript, or WebAssembly embedded in the same module */
  readonly target: "ts" | "wasm";
  /** element type of the generated arena */
  readonly precision: "f32" | "f64";
  /** f32 builds only: keep the arena in a Float32Array instead of a Float64Array whose stores
   *  are rounded to float32. Same results bit for bit, slower; the tests' reference for that. */
  readonly float32Arena?: boolean;
  /** --target wasm, f32 builds: false keeps every kernel scalar (f64 arithmetic, bit for bit the
   *  TypeScript target's) instead of conv2d's and dense's f32x4 kernels. The tests' reference. */
  readonly vectorKernels?: boolean;
  /** --target wasm, f32x4 builds: B, the batch block's samples (batchBlock below; BATCH_BLOCK
   *  unless given, 1 turns it off). For tests and benchmarks. */
  readonly batchBlock?: number;
  /** --target wasm, f32x4 builds: the smallest kernel gradient, in floats, the batch block takes
   *  (BLOCK_MIN_GRADIENT unless given). For tests and benchmarks. */
  readonly batchBlockMin?: number;
  /** the readable build: every kernel as its plain loops, regions as named constants, the
   *  formula of each loop nest in a comment (same API and results, slower) */
  readonly readable: boolean;
  /** also compute the gradient with respect to the input (used by gradient checks) */
  readonly inputGradient: boolean;
  /** run prettier over the module (the CLI always does; tests that only execute the code may
   *  skip it, since formatting never changes what the code does) */
  readonly format: boolean;
  /** check every layer's output for NaN and infinities and throw at the first (slower) */
  readonly checkNumerics: boolean;
  /** largest working memory of one model instance (its arena and index arena), in bytes */
  readonly maxArenaBytes: number;
  /** largest generated module, in characters */
  readonly maxSourceBytes: number;
  /** resource limits the checker enforces; unset ones keep their defaults */
  readonly limits: Partial<Limits>;
}

/** The vector width of the kernels: 4 (f32x4) on --target wasm f32 builds unless
 *  `vectorKernels` is false, else 1. The memory plan sizes the f32x4 kernels' scratch by it and
 *  the kernels choose their schedule by it (KernelEnv.lanes), so both read this one rule. */
export function kernelLanes(o: Pick<CompileOptions, "target" | "precision" | "readable" | "vectorKernels">): 1 | 4 {
  return o.target === "wasm" && o.precision === "f32" && !o.readable && o.vectorKernels !== false ? 4 : 1;
}

/** B, the batch block: samples whose weight gradients an op that declares a block kernel
 *  (Kernel.block; dense) sums as one product over the block instead of adding them sample by
 *  sample, for a layer whose kernel gradient has at least `min` floats (blocksGradients in
 *  src/ir/batch.ts). Only the f32x4 builds (kernelLanes 4) have one; the TypeScript target, f64
 *  and scalar wasm builds keep their per-sample code. */
export function batchBlock(o: Pick<CompileOptions, "target" | "precision" | "readable" | "vectorKernels" | "batchBlock" | "batchBlockMin">): { readonly samples: number; readonly min: number } {
  return { samples: kernelLanes(o) === 4 ? (o.batchBlock ?? BATCH_BLOCK) : 1, min: o.batchBlockMin ?? BLOCK_MIN_GRADIENT };
}

/** B on the f32x4 builds: one v128 splat of each block sample's input in a register, 8 of x64's 16. */
export const BATCH_BLOCK = 8;

/** The smallest kernel gradient the block takes, in floats (512 KiB of f32). The rule is
 *  measured (bench/NOTES.md): the block's product does the same vector multiplies and adds as
 *  the per-sample read-modify-writes (wasm SIMD128 has no fused multiply-add) and saves only
 *  dW's loads and stores, which pays where dW does not stay in the cache between samples:
 *  CIFAR's dense1 (4,096 x 128 = 524,288 floats, 2 MiB) ran its backward in 0.70x the time with
 *  the block; LeNet's dense1 (400 x 120 = 48,000, 188 KiB) and smaller ones gained nothing over
 *  the per-sample kernel. The bound sits between the two. */
export const BLOCK_MIN_GRADIENT = 2 ** 17;

export const defaultOptions: CompileOptions = { path: "<input>", emit: "ts", target: "ts", precision: "f32", readable: false, inputGradient: false, format: true, checkNumerics: false, maxArenaBytes: 2 ** 31, maxSourceBytes: 16 * 2 ** 20, limits: {} };
