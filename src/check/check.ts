// The checker: names, op signatures, argument values and shapes of every model in a file.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { duplicateModel, reservedModelName } from "../diagnostics/names.js";
import type { Program } from "../syntax/ast.js";
import type { Span } from "../source/span.js";
import { resolveLimits, type Limits } from "./limits.js";
import { checkModel } from "./model.js";
import { pruneModel } from "./prune.js";
import { reservedReason } from "./reserved.js";
import type { ModelDraft } from "./state.js";
import type { CheckedModel, CheckedProgram } from "./types.js";

export { defaultLimits, type Limits } from "./limits.js";

export interface CheckOptions {
  readonly limits?: Partial<Limits>;
}

export interface CheckResult {
  /** present when there is no error */
  readonly program?: CheckedProgram;
  readonly diagnostics: Diagnostic[];
  /** per model, what was worked out despite errors (for editors) */
  readonly drafts: readonly ModelDraft[];
}

export function check(program: Program, options: CheckOptions = {}): CheckResult {
  const limits = resolveLimits(options.limits);
  const diagnostics: Diagnostic[] = [];
  const report = (diagnostic: Diagnostic): void => void diagnostics.push(diagnostic);
  checkModelNames(program, report);
  const models: CheckedModel[] = [];
  const drafts: ModelDraft[] = [];
  for (const model of program.models) {
    const checked = checkModel(model, limits, report, (draft) => drafts.push(draft));
    if (checked !== undefined) models.push(pruneModel(checked, report));
  }
  const failed = diagnostics.some((d) => d.severity === "error");
  return failed ? { diagnostics, drafts } : { program: { models }, diagnostics, drafts };
}

/** Model names become exported class names: unique, and not a reserved word or a key global. */
function checkModelNames(program: Program, report: (diagnostic: Diagnostic) => void): void {
  const first = new Map<string, Span>();
  for (const { name } of program.models) {
    const reason = reservedReason(name.name);
    if (reason !== undefined) report(reservedModelName(name.span, name.name, reason));
    const earlier = first.get(name.name);
    if (earlier !== undefined) report(duplicateModel(name.span, name.name, earlier));
    else first.set(name.name, name.span);
  }
}
