// Command-line flags of `npm start -- --model M --epochs N --batch B --lr X --seed S --quick --target T`.
import { parseArgs } from "node:util";
import { mnistModels, type MnistModelKey } from "./files.js";
import type { TrainSettings } from "./train.js";

/** The defaults reach the target (>= 97.5% test accuracy in < 90 s) on a 2-core machine. */
export const defaultSettings: TrainSettings = { epochs: 6, batchSize: 16, seed: 1 };

/** --quick, for CI: a short run on a subset that still separates a working backward pass from a broken one. */
export const quickSettings: TrainSettings = { epochs: 2, batchSize: 16, seed: 1, trainLimit: 3000 };

export const usage = `usage: npm start -- [--model lenet|bn] [--epochs N] [--batch B] [--lr X] [--seed S] [--quick] [--target ts|wasm]
  --model M    lenet (default: examples/lenet.cnn) or bn (examples/digits-bn.cnn: batch norm and
               depthwise-separable convolutions)
  --epochs N   passes over the 8,000 training digits (default ${defaultSettings.epochs})
  --batch B    mini-batch size (default ${defaultSettings.batchSize})
  --lr X       learning rate, overriding the one in the model's .cnn file (either way it is
               lowered along a half cosine, epoch by epoch)
  --seed S     seed for initial weights and shuffling (default ${defaultSettings.seed})
  --quick      ${quickSettings.epochs} epochs on the first ${quickSettings.trainLimit} training digits (for CI)
  --target T   ts (default) or wasm: the cnnc target the model is compiled for (wasm writes
               generated/<model>.wasm.ts)`;

export type Command = { readonly kind: "help" } | { readonly kind: "train"; readonly settings: TrainSettings; readonly quick: boolean; readonly target: "ts" | "wasm"; readonly model: MnistModelKey };

/** Throws an Error with a one-line message on a bad flag. */
export function parseCommand(argv: readonly string[]): Command {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      epochs: { type: "string" },
      batch: { type: "string" },
      lr: { type: "string" },
      seed: { type: "string" },
      quick: { type: "boolean", default: false },
      target: { type: "string", default: "ts" },
      model: { type: "string", default: "lenet" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return { kind: "help" };
  if (values.target !== "ts" && values.target !== "wasm") throw new Error(`--target expects ts or wasm, got "${values.target}"`);
  if (!Object.hasOwn(mnistModels, values.model)) throw new Error(`--model expects ${Object.keys(mnistModels).join(" or ")}, got "${values.model}"`);
  const base = values.quick ? quickSettings : defaultSettings;
  const settings: TrainSettings = {
    ...base,
    epochs: values.epochs === undefined ? base.epochs : integerFlag("--epochs", values.epochs, 1),
    batchSize: values.batch === undefined ? base.batchSize : integerFlag("--batch", values.batch, 1),
    seed: values.seed === undefined ? base.seed : integerFlag("--seed", values.seed, 0),
    ...(values.lr === undefined ? {} : { learningRate: positiveFlag("--lr", values.lr) }),
  };
  return { kind: "train", settings, quick: values.quick, target: values.target, model: values.model as MnistModelKey };
}

function integerFlag(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${flag} expects an integer >= ${min}, got "${text}"`);
  return value;
}

function positiveFlag(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} expects a positive number, got "${text}"`);
  return value;
}
