// Per-sample methods of a model that trains layer-major (src/ir/batch.ts): each takes the
// offsets of its sample's copy of the per-sample buffers (`so` in the arena, `sx` in the index
// arena, when it touches them) as parameters, and the arena grows to hold a batch of copies.
import type { ParameterDeclarationStructure, OptionalKind } from "ts-morph";
import type { Stmt } from "../kernel/ir.js";
import { atSample, SAMPLE_INDEX_OFFSET, SAMPLE_OFFSET } from "../kernel/passes/sample.js";
import { forEachExpr } from "../kernel/passes/walk.js";
import type { ModelContext } from "./context.js";
import { kernelText } from "./kernel-text.js";

export interface SampleKernel {
  readonly text: string;
  /** which of the two offsets the kernel reads */
  readonly so: boolean;
  readonly sx: boolean;
}

/** Whether the model trains layer-major (its plan repeats the per-sample section). */
export function layerMajor(ctx: ModelContext): boolean {
  return ctx.graph.plan.sample !== undefined;
}

/** The kernel's text at a sample's offsets (a layer-major model), or as it is. */
export function sampleKernel(ctx: ModelContext, kernel: readonly Stmt[], ints: readonly string[] = []): SampleKernel {
  const sample = ctx.graph.plan.sample;
  if (sample === undefined) return { text: kernelText(ctx, kernel, ints), so: false, sx: false };
  const tree = atSample(kernel, sample.start);
  let so = false;
  let sx = false;
  forEachExpr(tree, (e) => {
    if (e.kind === "ref" && e.name === SAMPLE_OFFSET) so = true;
    if (e.kind === "ref" && e.name === SAMPLE_INDEX_OFFSET) sx = true;
  });
  return { text: kernelText(ctx, tree, [...ints, SAMPLE_OFFSET, SAMPLE_INDEX_OFFSET]), so, sx };
}

export function sampleParams(k: SampleKernel): OptionalKind<ParameterDeclarationStructure>[] {
  return [...(k.so ? [{ name: SAMPLE_OFFSET, type: "number" }] : []), ...(k.sx ? [{ name: SAMPLE_INDEX_OFFSET, type: "number" }] : [])];
}

/** The offsets to pass for sample `s` (an expression), in sampleParams' order. */
export function sampleArgs(ctx: ModelContext, k: SampleKernel, s: string): string[] {
  const sample = ctx.graph.plan.sample;
  if (sample === undefined) return [];
  const times = (stride: number): string => (s === "0" ? "0" : `${s} * ${stride}`);
  return [...(k.so ? [times(sample.stride)] : []), ...(k.sx ? [times(ctx.graph.plan.indexSize)] : [])];
}

/** The offsets `load` takes for sample 0 (a layer-major model's input slot is per sample). */
export function loadArgs(ctx: ModelContext): string[] {
  return layerMajor(ctx) ? ["0"] : [];
}
