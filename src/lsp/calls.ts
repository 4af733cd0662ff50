// Finding the call under the cursor, and the tensor a name stands for in the checked model.
import { valueText } from "../check/args/kind.js";
import type { TensorId } from "../check/types.js";
import type { Call, ModelDecl, Pipeline, Stmt } from "../syntax/ast.js";
import type { Span } from "../source/span.js";
import type { ModelView } from "./view.js";

export interface CallSiteInModel {
  readonly call: Call;
  readonly model: ModelDecl;
  /** where the call stands: a layer of a pipeline, or a train entry */
  readonly role: "layer" | "loss" | "optimizer";
}

/** Every call of a model that names an op, a loss or an optimizer. */
export function modelCalls(model: ModelDecl): CallSiteInModel[] {
  const calls: CallSiteInModel[] = [];
  for (const stmt of model.stmts) {
    if (stmt.kind === "train") stmt.entries.forEach((entry) => calls.push({ call: entry.call, model, role: entry.kind }));
    const pipeline = pipelineOf(stmt);
    if (pipeline === undefined) continue;
    if (pipeline.source.kind === "call") calls.push({ call: pipeline.source, model, role: "layer" });
    pipeline.calls.forEach((call) => calls.push({ call, model, role: "layer" }));
  }
  return calls;
}

export function pipelineOf(stmt: Stmt): Pipeline | undefined {
  return stmt.kind === "binding" || stmt.kind === "output" ? stmt.pipeline : undefined;
}

/** The call whose name is at `offset` (inside it or just after it). */
export function calleeAt(models: readonly ModelDecl[], offset: number): CallSiteInModel | undefined {
  const within = (span: Span): boolean => span.start <= offset && offset <= span.end;
  for (const model of models) {
    if (!within(model.span)) continue;
    return modelCalls(model).find((site) => within(site.call.callee.span));
  }
  return undefined;
}

/** The call as written, normalised: `conv2d(16, kernel: 5)`. */
export function writtenCall(call: Call): string {
  if (!call.hasParens) return call.callee.name;
  const args = call.args.map((arg) => (arg.name ? `${arg.name.name}: ` : "") + valueText(arg.value));
  return `${call.callee.name}(${args.join(", ")})`;
}

/** The tensor a name denotes, following aliases (`b = a`) back to the tensor that has a name. */
export function tensorNamed(decl: ModelDecl, model: ModelView, name: string): TensorId | undefined {
  const seen = new Set<string>();
  let current = name;
  while (!seen.has(current)) {
    seen.add(current);
    const named = model.tensors.find((t) => t.name === current);
    if (named !== undefined) return named.id;
    const stmt = decl.stmts.find((s) => s.kind !== "train" && s.name.name === current && pipelineOf(s) !== undefined);
    const pipeline = stmt && pipelineOf(stmt);
    if (pipeline === undefined || pipeline.calls.length > 0 || pipeline.source.kind !== "ref") return undefined;
    current = pipeline.source.name.name;
  }
  return undefined;
}
