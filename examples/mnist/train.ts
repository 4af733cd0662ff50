// One training run on an already loaded split: no files, no terminal, so `npm start` and the
// test call the same function.
import { firstDigits, type Split } from "./data.js";
import type { BatchLog, Classifier, ClassifierClass, EpochLog } from "./model.js";
import { confusionMatrix } from "./report.js";

export interface TrainSettings {
  readonly epochs: number;
  readonly batchSize: number;
  /** overrides the optimizer's lr from the .cnn file when set */
  readonly learningRate?: number;
  readonly seed: number;
  /** train on only the first `trainLimit` training digits (the --quick mode) */
  readonly trainLimit?: number;
}

export interface TrainHooks {
  readonly onBatch?: (log: BatchLog) => void;
  readonly onEpoch?: (log: EpochLog) => void;
}

export interface TrainResult {
  readonly model: Classifier;
  readonly history: readonly EpochLog[];
  readonly trainCount: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
  /** rows: true digit, columns: predicted digit */
  readonly confusion: readonly (readonly number[])[];
  /** training time only: the epochs' batches, without the per-epoch test evaluation */
  readonly trainSeconds: number;
  readonly samplesPerSecond: number;
}

export function trainMnist(Model: ClassifierClass, split: Split, settings: TrainSettings, hooks: TrainHooks = {}): TrainResult {
  const model = new Model({ seed: settings.seed });
  if (settings.learningRate !== undefined) model.learningRate = settings.learningRate;
  // The learning rate falls along a half cosine, epoch by epoch, to near zero for the last one:
  // the final weights then settle instead of carrying the step-to-step noise of a constant rate
  // (the test accuracy of the last epoch varied by about 1% between nearly identical runs).
  const base = model.learningRate;
  const decay = (log: EpochLog): void => {
    model.learningRate = base * 0.5 * (1 + Math.cos((Math.PI * log.epoch) / settings.epochs));
    hooks.onEpoch?.(log);
  };
  const train = settings.trainLimit === undefined ? split.train : firstDigits(split.train, settings.trainLimit);
  const { test } = split;
  const { history } = model.fit(train.images, train.labels, train.n, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    seed: settings.seed,
    validation: { xs: test.images, targets: test.labels, n: test.n },
    ...hooks,
    onEpoch: decay,
  });
  // fit evaluated the test set after the last epoch; the model has not changed since
  const last = history[history.length - 1]!;
  // samples/s from each epoch's own rate, so the validation passes do not count as training time
  const trainSeconds = history.reduce((sum, log) => sum + train.n / log.samplesPerSecond, 0);
  return {
    model,
    history,
    trainCount: train.n,
    testLoss: last.valLoss ?? NaN,
    testAccuracy: last.valAccuracy ?? NaN,
    confusion: confusionMatrix(model, test),
    trainSeconds,
    samplesPerSecond: (train.n * history.length) / trainSeconds,
  };
}
