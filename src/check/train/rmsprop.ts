// rmsprop(lr: 0.001, rho: 0.9, momentum: 0, eps: 1e-7, centered: false, weight_decay: 0,
// clip_norm, schedule: none), in PyTorch's form (src/emit/members/optimizer.ts); Keras' defaults.
import { bindArgs, describeSignature, optional, type Signature } from "../args/bind.js";
import { boolKind, numberKind } from "../args/kinds.js";
import { decayFactor, learningRate, sharedOptimizerArgs, type OptimizerDef, type SharedOptimizerArgs } from "./optimizer.js";

interface RmspropArgs extends SharedOptimizerArgs {
  readonly lr: number;
  readonly rho: number;
  readonly momentum: number;
  readonly eps: number;
  readonly centered: boolean;
}

const signature: Signature<RmspropArgs> = {
  lr: optional(learningRate, 0.001),
  rho: optional(decayFactor, 0.9),
  momentum: optional(decayFactor, 0),
  eps: optional(numberKind({ min: 0, minOpen: true }), 1e-7),
  centered: optional(boolKind, false),
  ...sharedOptimizerArgs,
};

export const rmsprop: OptimizerDef = {
  name: "rmsprop",
  args: describeSignature(signature),
  bind(site, ctx, span) {
    const args = bindArgs(signature, site, ctx);
    if (args === undefined) return undefined;
    const { lr, rho, momentum, eps, centered, weight_decay: weightDecay, clip_norm: clipNorm, schedule } = args;
    return { kind: "rmsprop", lr, rho, momentum, eps, centered, weightDecay, clipNorm, schedule, span };
  },
};
