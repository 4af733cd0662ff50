// The `schedule:` argument of the optimizers: `none`, `cosine`, or `step(every: n, gamma: g)`.
import { asNotAllowed, foundValue, unknownValue, wrongKind } from "../../diagnostics/names.js";
import type { Span } from "../../source/span.js";
import type { Arg } from "../../syntax/ast.js";
import { bindArgs, optional, required, type Signature } from "../args/bind.js";
import type { ArgContext, Kind } from "../args/kind.js";
import { countKind, numberKind } from "../args/kinds.js";
import { suggest } from "../suggest.js";
import type { Schedule } from "../types.js";

interface StepArgs {
  readonly every: number;
  readonly gamma: number;
}

const signatures = {
  none: {} as Signature<Record<string, never>>,
  cosine: {} as Signature<Record<string, never>>,
  // gamma as PyTorch's StepLR: multiply lr by 0.1 every `every` epochs unless told otherwise
  step: {
    every: required(countKind({ min: 1 })),
    gamma: optional(numberKind({ min: 0, minOpen: true, max: 1 }), 0.1),
  } as Signature<StepArgs>,
};

type ScheduleName = keyof typeof signatures;
const scheduleNames = Object.keys(signatures) as ScheduleName[];
const expected = "`none`, `cosine` or `step(every: n, gamma: g)`";

function isScheduleName(name: string): name is ScheduleName {
  return (scheduleNames as string[]).includes(name);
}

/** Binds a schedule written bare (`cosine`) or as a call (`step(every: 10)`). */
function bindSchedule(name: ScheduleName, span: Span, args: readonly Arg[], ctx: ArgContext): Schedule | undefined {
  if (name !== "step") return bindArgs(signatures[name], { callee: name, span, args }, ctx) && { kind: name };
  const step = bindArgs(signatures.step, { callee: name, span, args }, ctx);
  return step && { kind: "step", every: step.every, gamma: step.gamma };
}

function reportUnknown(span: Span, name: string, ctx: ArgContext): undefined {
  ctx.report(unknownValue(span, ctx.where, name, expected, suggest(name, scheduleNames)));
  return undefined;
}

export const scheduleKind: Kind<Schedule> = {
  expected,
  choices: scheduleNames,
  parse(value, ctx) {
    if (value.kind === "name")
      return isScheduleName(value.name) ? bindSchedule(value.name, value.span, [], ctx) : reportUnknown(value.span, value.name, ctx);
    if (value.kind !== "call") {
      ctx.report(wrongKind(value.span, ctx.where, expected, foundValue(value)));
      return undefined;
    }
    const name = value.callee.name;
    if (!isScheduleName(name)) return reportUnknown(value.callee.span, name, ctx);
    if (value.as !== undefined) ctx.report(asNotAllowed(value.as.span, name));
    const schedule = bindSchedule(name, value.span, value.args, ctx);
    return value.as === undefined ? schedule : undefined;
  },
};
