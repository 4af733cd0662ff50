// One pipeline: a source tensor (or a call that takes tensors) fed through `|>` calls.
import { foundValue, needsTwoTensors, opNeedsPipe, opWhere, unknownOp, wrongKind } from "../diagnostics/names.js";
import { tooManyElements } from "../diagnostics/shapes.js";
import type { Arg, Call, Ident, Pipeline, Source } from "../syntax/ast.js";
import { callSite, type CallSite } from "./args/bind.js";
import { valueText } from "./args/kind.js";
import { findOp, opNames, type RegisteredOp } from "../ops/index.js";
import { elementCount } from "./sizes.js";
import type { ModelState } from "./state.js";
import { suggest } from "./suggest.js";
import type { Shape, TensorId } from "./types.js";

/** The pipeline's result; an unknown-shape tensor when something in it failed. */
export function checkPipeline(state: ModelState, pipeline: Pipeline, binding: string): TensorId {
  let current = checkSource(state, pipeline.source, binding);
  for (const call of pipeline.calls) {
    const op = lookupOp(state, call.callee);
    current = op === undefined ? state.unknown(call.span) : applyCall(state, op, call, [current], binding);
  }
  return current;
}

/** True when the pipeline computes a new tensor rather than naming an existing one. */
export function computesTensor(pipeline: Pipeline): boolean {
  return pipeline.calls.length > 0 || pipeline.source.kind === "call";
}

function checkSource(state: ModelState, source: Source, binding: string): TensorId {
  if (source.kind === "ref") return state.scope.resolve(source.name.name, source.name.span) ?? state.unknown(source.span);
  const op = lookupOp(state, source.callee);
  if (op === undefined) return state.unknown(source.span);
  if (op.inputs === "pipe") {
    state.report(opNeedsPipe(source.span, op.name, pipeRewrite(source)));
    return state.unknown(source.span);
  }
  return applyCall(state, op, source, [], binding);
}

function lookupOp(state: ModelState, callee: Ident): RegisteredOp | undefined {
  const op = findOp(callee.name);
  if (op === undefined)
    state.report(unknownOp(callee.span, callee.name, suggest(callee.name, opNames), opNames, state.scope.has(callee.name)));
  return op;
}

/** `conv2d(x, 6, kernel: 5)` as `x |> conv2d(6, kernel: 5)`, when the first argument is a name. */
function pipeRewrite(call: Call): string | undefined {
  const [first, ...rest] = call.args;
  if (first === undefined || first.name !== undefined || first.value.kind !== "name") return undefined;
  const args = rest.map((arg) => (arg.name ? `${arg.name.name}: ` : "") + valueText(arg.value));
  return `${first.value.name} |> ${call.callee.name}${args.length > 0 ? `(${args.join(", ")})` : ""}`;
}

/** Positional arguments of add/concat name tensors. */
function resolveTensorArgs(state: ModelState, op: RegisteredOp, args: readonly Arg[]): TensorId[] {
  return args.map((arg) => {
    if (arg.value.kind === "name") return state.scope.resolve(arg.value.name, arg.value.span) ?? state.unknown(arg.span);
    state.report(wrongKind(arg.span, opWhere(op.name), "a tensor name", foundValue(arg.value)));
    return state.unknown(arg.span);
  });
}

interface CallInputs {
  readonly inputs: readonly TensorId[];
  /** the arguments left for the op's signature: all of them, or for add/concat the named ones */
  readonly site: CallSite;
  readonly ok: boolean;
}

/** The piped tensor, plus for add/concat the tensors named as positional arguments. */
function gatherInputs(state: ModelState, op: RegisteredOp, call: Call, piped: readonly TensorId[]): CallInputs {
  const site = callSite(call);
  if (op.inputs === "pipe") return { inputs: piped, site, ok: true };
  const inputs = [
    ...piped,
    ...resolveTensorArgs(
      state,
      op,
      call.args.filter((arg) => !arg.name),
    ),
  ];
  const ok = inputs.length >= 2;
  if (!ok) state.report(needsTwoTensors(call.span, op.name, inputs.length));
  return { inputs, site: { ...site, args: call.args.filter((arg) => arg.name) }, ok };
}

/** Checks one call of a known op; its output is unknown when anything before or in it failed. */
function applyCall(state: ModelState, op: RegisteredOp, call: Call, piped: readonly TensorId[], binding: string): TensorId {
  const slot = state.addSlot({ binding, op: op.name, hasParams: op.hasParams, as: call.as, span: call.span });
  const { inputs, site, ok } = gatherInputs(state, op, call, piped);
  const bound = op.bind(site, state.bindContext());
  const shapes = inputs.map((id) => state.tensor(id).shape);
  if (bound === undefined || !ok || !allKnown(shapes)) return state.unknown(call.span);
  const result = bound.apply(shapes, { span: call.span, inputs: inputs.map((id) => state.origin(id)), report: state.report });
  if (result === undefined || !withinElementLimit(state, op, call, result.shape)) return state.unknown(call.span);
  return state.addLayer(result, inputs, binding, call.span, slot);
}

function withinElementLimit(state: ModelState, op: RegisteredOp, call: Call, shape: Shape): boolean {
  const elements = elementCount(shape);
  if (elements <= state.limits.maxElements) return true;
  state.report(tooManyElements(call.span, { op: op.name }, elements, state.limits.maxElements));
  return false;
}

function allKnown(shapes: readonly (Shape | null)[]): shapes is Shape[] {
  return shapes.every((shape) => shape !== null);
}
