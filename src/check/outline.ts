// A first pass over a model's statements: what is declared where, before anything is checked.
import type { BindingStmt, InputStmt, ModelDecl, OutputStmt, TrainStmt } from "../syntax/ast.js";
import type { Span } from "../source/span.js";

/** A statement that binds a pipeline to a new name. */
export type PipelineStmt = BindingStmt | (OutputStmt & { readonly pipeline: NonNullable<OutputStmt["pipeline"]> });

export interface Outline {
  readonly inputs: readonly InputStmt[];
  readonly bindings: readonly PipelineStmt[];
  readonly outputs: readonly OutputStmt[];
  readonly trains: readonly TrainStmt[];
  /** where each name is first defined, so a use before its binding can point there */
  readonly declared: ReadonlyMap<string, Span>;
}

export function isPipelineStmt(stmt: ModelDecl["stmts"][number]): stmt is PipelineStmt {
  return stmt.kind === "binding" || (stmt.kind === "output" && stmt.pipeline !== undefined);
}

export function outlineModel(model: ModelDecl): Outline {
  const declared = new Map<string, Span>();
  const inputs: InputStmt[] = [];
  const bindings: PipelineStmt[] = [];
  const outputs: OutputStmt[] = [];
  const trains: TrainStmt[] = [];
  for (const stmt of model.stmts) {
    if (stmt.kind === "input") inputs.push(stmt);
    if (stmt.kind === "output") outputs.push(stmt);
    if (stmt.kind === "train") trains.push(stmt);
    if (isPipelineStmt(stmt)) bindings.push(stmt);
    const defines = stmt.kind === "input" || isPipelineStmt(stmt);
    if (defines && !declared.has(stmt.name.name)) declared.set(stmt.name.name, stmt.name.span);
  }
  return { inputs, bindings, outputs, trains, declared };
}
