// What one optimizer file defines, and the arguments every optimizer shares.
import type { Span } from "../../source/span.js";
import { optional, type ArgInfo, type ArgSpec, type BindContext, type CallSite } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import type { OptimizerSpec, Schedule } from "../types.js";
import { scheduleKind } from "./schedule.js";

/** The optimizers' names: every spec kind, and `adamw` (an `adam` with another default). */
export type OptimizerName = OptimizerSpec["kind"] | "adamw";

export interface OptimizerDef {
  readonly name: OptimizerName;
  /** the arguments in positional order, with their defaults, for editors */
  readonly args: readonly ArgInfo[];
  /** the spec with defaults filled in, or undefined after reporting errors */
  readonly bind: (site: CallSite, ctx: BindContext, span: Span) => OptimizerSpec | undefined;
}

export interface SharedOptimizerArgs {
  readonly weight_decay: number;
  readonly clip_norm: number | null;
  readonly schedule: Schedule;
}

/** Decoupled weight decay, clipping by global norm (none by default), learning-rate schedule. */
export const sharedOptimizerArgs: { readonly [K in keyof SharedOptimizerArgs]: ArgSpec<SharedOptimizerArgs[K]> } = {
  weight_decay: optional(numberKind({ min: 0 }), 0),
  clip_norm: optional(numberKind({ min: 0, minOpen: true }), null),
  schedule: optional(scheduleKind, { kind: "none" } as Schedule),
};

/** The learning rate: any positive number. */
export const learningRate = numberKind({ min: 0, minOpen: true });

/** Momentum and Adam's betas: a decay factor in [0, 1). */
export const decayFactor = numberKind({ min: 0, max: 1, maxOpen: true });

/** The optimizer's state blocks, one value per trainable parameter value each, by name (the
 *  memory plan sizes them, the emitter names their regions after them). */
export function stateBlocks(spec: OptimizerSpec): readonly string[] {
  switch (spec.kind) {
    case "sgd":
      return spec.momentum > 0 ? ["momentum"] : [];
    case "adam":
      return ["adamM", "adamV"];
    case "rmsprop":
      return ["rmsV", ...(spec.centered ? ["rmsMean"] : []), ...(spec.momentum > 0 ? ["rmsMomentum"] : [])];
  }
}
