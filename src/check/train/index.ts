// The loss and optimizer registries: one line each.
import type { LossKind } from "../types.js";
import { adam, adamw } from "./adam.js";
import { binaryCrossEntropy } from "./binary_cross_entropy.js";
import type { LossDef } from "./loss.js";
import { huber } from "./huber.js";
import { mae } from "./mae.js";
import { mse } from "./mse.js";
import type { OptimizerDef, OptimizerName } from "./optimizer.js";
import { rmsprop } from "./rmsprop.js";
import { sgd } from "./sgd.js";
import { softmaxCrossEntropy } from "./softmax_cross_entropy.js";

export const losses: Readonly<Record<LossKind, LossDef>> = {
  softmax_cross_entropy: softmaxCrossEntropy,
  mse,
  binary_cross_entropy: binaryCrossEntropy,
  mae,
  huber,
};

/** Whether training with this loss reports an accuracy (it scores classes). */
export function classifies(kind: LossKind): boolean {
  return losses[kind].classifies;
}

export const optimizers: Readonly<Record<OptimizerName, OptimizerDef>> = {
  sgd,
  adam,
  adamw,
  rmsprop,
};

export const lossNames: readonly string[] = Object.keys(losses);
export const optimizerNames: readonly string[] = Object.keys(optimizers);

export function findLoss(name: string): LossDef | undefined {
  return Object.hasOwn(losses, name) ? losses[name as LossKind] : undefined;
}

export function findOptimizer(name: string): OptimizerDef | undefined {
  return Object.hasOwn(optimizers, name) ? optimizers[name as OptimizerName] : undefined;
}
