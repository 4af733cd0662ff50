// The statements that bind names: `input`, bindings, and `output` with a pipeline.
import type { InputStmt } from "../syntax/ast.js";
import type { PipelineStmt } from "./outline.js";
import { checkPipeline, computesTensor } from "./pipeline.js";
import { checkAssertion, readInputShape } from "./shape-literal.js";
import type { ModelState } from "./state.js";
import type { TensorId } from "./types.js";

export function checkInput(stmt: InputStmt, state: ModelState): TensorId {
  const shape = readInputShape(stmt.shape, stmt.name.name, state) ?? null;
  const id = state.addTensor(shape, stmt.span, null, stmt.name.name);
  state.scope.define(stmt.name, id);
  return id;
}

/** `name[: shape] = pipeline`; with no call, `name` is another name for the source tensor. */
export function checkBinding(stmt: PipelineStmt, state: ModelState): TensorId {
  const name = stmt.name.name;
  const id = checkPipeline(state, stmt.pipeline, name);
  if (computesTensor(stmt.pipeline)) state.tensor(id).name = name;
  else state.aliases.push({ name, tensor: id });
  state.scope.define(stmt.name, id);
  if (stmt.shape !== undefined) checkAssertion(stmt.shape, name, id, state);
  return id;
}
