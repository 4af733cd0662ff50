// One model: statements in order, then the whole-model rules (one input, one output, the train
// section, layer names, limits).
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { noBinding, noInput, outputIsInput, severalInputs, severalOutputs } from "../diagnostics/names.js";
import type { ModelDecl, Stmt } from "../syntax/ast.js";
import { finishModel } from "./finish.js";
import type { Limits } from "./limits.js";
import { checkModelLimits } from "./limits-check.js";
import { nameLayers } from "./naming.js";
import { isPipelineStmt, outlineModel, type Outline } from "./outline.js";
import { Scope } from "./scope.js";
import { checkAssertion } from "./shape-literal.js";
import { ModelState, type ModelDraft } from "./state.js";
import { checkBinding, checkInput } from "./statements.js";
import { checkTrain } from "./train/train.js";
import type { CheckedModel, TensorId } from "./types.js";

/** The checked model, or undefined when it has errors (all of them reported); `keep` gets the draft either way. */
export function checkModel(
  model: ModelDecl,
  limits: Limits,
  report: (diagnostic: Diagnostic) => void,
  keep: (draft: ModelDraft) => void = () => undefined,
): CheckedModel | undefined {
  let failed = false;
  const note = (diagnostic: Diagnostic): void => {
    failed ||= diagnostic.severity === "error";
    report(diagnostic);
  };
  const outline = outlineModel(model);
  const state = new ModelState(limits, new Scope(outline.declared, note), note);
  const tensorOf = checkStatements(model, state);
  const input = findInput(model, outline, tensorOf, state);
  const output = findOutput(model, outline, tensorOf, state);
  const train = checkTrain(outline.trains, model.name.name, state);
  const layerNames = nameLayers(state.slots, note);
  checkModelLimits(model, state);
  keep({ name: model.name.name, span: model.span, tensors: state.tensors, layers: state.layers, layerNames });
  if (failed || input === undefined || output === undefined) return undefined;
  return finishModel(model, state, { input, output, train, layerNames });
}

/** Binds names in source order; `output name` and `train` are resolved after, against all names. */
function checkStatements(model: ModelDecl, state: ModelState): Map<Stmt, TensorId> {
  const tensorOf = new Map<Stmt, TensorId>();
  for (const stmt of model.stmts) {
    if (stmt.kind === "input") tensorOf.set(stmt, checkInput(stmt, state));
    else if (isPipelineStmt(stmt)) tensorOf.set(stmt, checkBinding(stmt, state));
  }
  return tensorOf;
}

function findInput(model: ModelDecl, outline: Outline, tensorOf: Map<Stmt, TensorId>, state: ModelState): TensorId | undefined {
  const [first, ...extra] = outline.inputs;
  if (first === undefined) state.report(noInput(model.name.span, model.name.name));
  for (const other of extra) state.report(severalInputs(other.span, first!.span));
  return first && tensorOf.get(first);
}

/** The `output` statement's tensor, else the last binding's; it must be computed by a layer. */
function findOutput(model: ModelDecl, outline: Outline, tensorOf: Map<Stmt, TensorId>, state: ModelState): TensorId | undefined {
  const [first, ...extra] = outline.outputs;
  for (const other of extra) state.report(severalOutputs(other.span, first!.span));
  const last = outline.bindings[outline.bindings.length - 1];
  if (last === undefined) {
    state.report(noBinding(model.name.span, model.name.name));
    return undefined;
  }
  const chosen = first ?? last;
  const id = chosen.pipeline !== undefined ? tensorOf.get(chosen) : state.scope.resolve(chosen.name.name, chosen.name.span);
  if (id === undefined || state.tensor(id).shape === null) return undefined;
  if (chosen.pipeline === undefined && chosen.shape !== undefined) checkAssertion(chosen.shape, chosen.name.name, id, state);
  if (state.tensor(id).producer !== null) return id;
  state.report(outputIsInput(chosen.name.span, model.name.name));
  return undefined;
}
