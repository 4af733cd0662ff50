// sgd(lr, momentum: 0, nesterov: false, weight_decay: 0, clip_norm, schedule: none)
import { nesterovWithoutMomentum } from "../../diagnostics/names.js";
import { argSpans, bindArgs, describeSignature, optional, required, signatureNames, type Signature } from "../args/bind.js";
import { boolKind } from "../args/kinds.js";
import { decayFactor, learningRate, sharedOptimizerArgs, type OptimizerDef, type SharedOptimizerArgs } from "./optimizer.js";

interface SgdArgs extends SharedOptimizerArgs {
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
}

const signature: Signature<SgdArgs> = {
  lr: required(learningRate),
  momentum: optional(decayFactor, 0),
  nesterov: optional(boolKind, false),
  ...sharedOptimizerArgs,
};

export const sgd: OptimizerDef = {
  name: "sgd",
  args: describeSignature(signature),
  bind(site, ctx, span) {
    const args = bindArgs(signature, site, ctx);
    if (args === undefined) return undefined;
    // Nesterov's look-ahead is a step along the momentum, which must exist
    if (args.nesterov && args.momentum === 0) {
      ctx.report(nesterovWithoutMomentum(argSpans(signatureNames(signature), site).get("nesterov") ?? site.span));
      return undefined;
    }
    const { lr, momentum, nesterov, weight_decay: weightDecay, clip_norm: clipNorm, schedule } = args;
    return { kind: "sgd", lr, momentum, nesterov, weightDecay, clipNorm, schedule, span };
  },
};
