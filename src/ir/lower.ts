// lower(): the IR passes in order, each returning a new stage and followed by verify(); the
// first pass whose result breaks an invariant stops lowering with CNN9001 diagnostics.
import type { CheckedModel } from "../check/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { batchBlock, kernelLanes, type CompileOptions } from "../options.js";
import { differentiate } from "./autodiff.js";
import { buildForward } from "./build.js";
import { fuseActivations } from "./fuse.js";
import type { Graph } from "./graph.js";
import { planMemory } from "./plan.js";
import { verify } from "./verify.js";

export type LowerOptions = Pick<CompileOptions, "inputGradient" | "precision" | "float32Arena"> & Partial<Pick<CompileOptions, "target" | "readable" | "vectorKernels" | "batchBlock" | "batchBlockMin">>;

export function lower(model: CheckedModel, options: LowerOptions): { readonly graph?: Graph; readonly diagnostics: readonly Diagnostic[] } {
  const built = buildForward(model);
  let diagnostics = verify(built, "building the forward graph");
  if (diagnostics.length > 0) return { diagnostics };
  const fused = fuseActivations(built);
  diagnostics = verify(fused, "fusing activations");
  if (diagnostics.length > 0) return { diagnostics };
  const trained = differentiate(fused, model.train, options.inputGradient);
  diagnostics = verify(trained, "deriving the backward pass");
  if (diagnostics.length > 0) return { diagnostics };
  const build = { target: options.target ?? "ts", precision: options.precision, readable: options.readable ?? false, vectorKernels: options.vectorKernels, batchBlock: options.batchBlock, batchBlockMin: options.batchBlockMin } as const;
  const graph = planMemory(trained, { ...options, lanes: kernelLanes(build), batchBlock: batchBlock(build) });
  diagnostics = verify(graph, "planning memory");
  return diagnostics.length > 0 ? { diagnostics } : { graph, diagnostics };
}
