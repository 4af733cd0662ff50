// adam(lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7, weight_decay: 0, clip_norm, schedule: none)
import { bindArgs, describeSignature, optional, type Signature } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import { decayFactor, learningRate, sharedOptimizerArgs, type OptimizerDef, type SharedOptimizerArgs } from "./optimizer.js";

interface AdamArgs extends SharedOptimizerArgs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

// Keras' defaults, eps included (PyTorch uses 1e-8)
const signature: Signature<AdamArgs> = {
  lr: optional(learningRate, 0.001),
  beta1: optional(decayFactor, 0.9),
  beta2: optional(decayFactor, 0.999),
  eps: optional(numberKind({ min: 0, minOpen: true }), 1e-7),
  ...sharedOptimizerArgs,
};

function adamNamed(name: "adam" | "adamw", signature: Signature<AdamArgs>): OptimizerDef {
  return {
    name,
    args: describeSignature(signature),
    bind(site, ctx, span) {
      const args = bindArgs(signature, site, ctx);
      if (args === undefined) return undefined;
      const { lr, beta1, beta2, eps, weight_decay: weightDecay, clip_norm: clipNorm, schedule } = args;
      return { kind: "adam", lr, beta1, beta2, eps, weightDecay, clipNorm, schedule, span };
    },
  };
}

export const adam = adamNamed("adam", signature);

// adam's weight decay is already decoupled (AdamW); `adamw` is the same optimizer with Keras 3's
// default decay
export const adamw = adamNamed("adamw", { ...signature, weight_decay: optional(numberKind({ min: 0 }), 0.004) });
