// The train section: exactly one loss and one optimizer, checked against the model's tensors.
import {
  asNotAllowed,
  duplicateLoss,
  duplicateOptimizer,
  duplicateTrain,
  missingLoss,
  missingOptimizer,
  unknownLoss,
  unknownOptimizer,
} from "../../diagnostics/names.js";
import type { TrainEntry, TrainStmt } from "../../syntax/ast.js";
import type { Span } from "../../source/span.js";
import { bindArgs, callSite } from "../args/bind.js";
import type { ModelState } from "../state.js";
import { suggest } from "../suggest.js";
import type { LossSpec, OptimizerSpec, TrainSpec } from "../types.js";
import { findLoss, findOptimizer, lossNames, optimizerNames } from "./index.js";
import { lossSignature, type LossArgs } from "./loss.js";

/** The train spec, undefined for a model without a train section or after errors. */
export function checkTrain(sections: readonly TrainStmt[], model: string, state: ModelState): TrainSpec | undefined {
  const [section, ...extra] = sections;
  if (section === undefined) return undefined;
  for (const other of extra) state.report(duplicateTrain(keyword(other), model, keyword(section)));
  // a second section is reported once; its entries are not counted again as duplicates
  const entries = section.entries;
  const loss = single(entries, "loss", state, () => missingLoss(keyword(section)), duplicateLoss);
  const optimizer = single(entries, "optimizer", state, () => missingOptimizer(keyword(section)), duplicateOptimizer);
  const lossSpec = loss && checkLoss(loss, state);
  const optimizerSpec = optimizer && checkOptimizer(optimizer, state);
  return lossSpec && optimizerSpec && { loss: lossSpec, optimizer: optimizerSpec, span: section.span };
}

/** The `train` keyword, so a missing entry does not underline the whole block. */
function keyword(section: TrainStmt): Span {
  return { start: section.span.start, end: section.span.start + "train".length };
}

/** The one entry of a kind; reports when there is none or more than one. */
function single(
  entries: readonly TrainEntry[],
  kind: TrainEntry["kind"],
  state: ModelState,
  missing: () => ReturnType<typeof missingLoss>,
  duplicate: (span: Span, first: Span) => ReturnType<typeof duplicateLoss>,
): TrainEntry | undefined {
  const [first, ...rest] = entries.filter((entry) => entry.kind === kind);
  if (first === undefined) state.report(missing());
  for (const other of rest) state.report(duplicate(other.span, first!.span));
  return first;
}

function rejectAs(entry: TrainEntry, state: ModelState): boolean {
  if (entry.call.as === undefined) return true;
  state.report(asNotAllowed(entry.call.as.span, entry.call.callee.name));
  return false;
}

function checkLoss(entry: TrainEntry, state: ModelState): LossSpec | undefined {
  const { callee } = entry.call;
  const loss = findLoss(callee.name);
  if (loss === undefined) {
    state.report(unknownLoss(callee.span, callee.name, suggest(callee.name, lossNames), lossNames));
    return undefined;
  }
  const args = bindArgs(loss.signature ?? lossSignature, callSite(entry.call), state.bindContext());
  if (!rejectAs(entry, state) || args === undefined) return undefined;
  const tensor = state.tensor(args.tensor);
  const written = entry.call.args[0]!;
  const name = written.value.kind === "name" ? written.value.name : (tensor.name ?? "?");
  // an unknown shape means an error was already reported upstream
  if (tensor.shape === null) return undefined;
  const target = { id: args.tensor, tensor: { ...tensor, shape: tensor.shape }, written: name, span: written.value.span };
  return loss.validate(target, state) ? { kind: loss.name, tensor: args.tensor, ...loss.options?.(args as LossArgs & Record<string, unknown>), span: entry.span } : undefined;
}

function checkOptimizer(entry: TrainEntry, state: ModelState): OptimizerSpec | undefined {
  const { callee } = entry.call;
  const optimizer = findOptimizer(callee.name);
  if (optimizer === undefined) {
    state.report(unknownOptimizer(callee.span, callee.name, suggest(callee.name, optimizerNames), optimizerNames));
    return undefined;
  }
  const spec = optimizer.bind(callSite(entry.call), state.bindContext(), entry.span);
  return rejectAs(entry, state) ? spec : undefined;
}
