// The compile worker: compile() with ts-morph and prettier in their browser builds, load the
// generated module, and train it with its own fit() on the bundled MNIST digits.
import { compile } from "../../../src/index.js";
import { toJsonDiagnostics } from "../../../src/diagnostics/json.js";
import { firstDigits, loadMnist, pixels, type DigitSet, type MnistAsset } from "../shared/mnist.js";
import type { TrainerRequest, TrainerResponse, TrainSettings } from "../shared/protocol.js";
import { importModule, stripTypes, type LoadedClass, type LoadedModel } from "./module.js";
import { confusionMatrix } from "./confusion.js";

/** Test digits the probes between epochs use: enough for a curve, cheap enough to run often. */
const probeDigits = 200;
/** Probes per epoch. */
const probesPerEpoch = 10;

let mnist: Promise<MnistAsset> | undefined;
let Model: LoadedClass | undefined;
let className = "";
let model: LoadedModel | undefined;

/** Thrown from onBatch when the page's stop flag is set; fit() then returns to us. */
class Stopped extends Error {}

function send(message: TrainerResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

self.onmessage = async (event: MessageEvent<TrainerRequest>) => {
  try {
    await handle(event.data);
  } catch (error) {
    send({ kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
};

async function handle(request: TrainerRequest): Promise<void> {
  switch (request.kind) {
    case "compile":
      return compileModel(request.source, request.model);
    case "train":
      return train(request.settings, request.stop);
    case "predict":
      return predict(request.pixels);
    case "readable": {
      const result = await compile(request.source, { path: "playground.cnn", readable: true });
      if (result.code === undefined) return send({ kind: "compile-failed", diagnostics: toJsonDiagnostics(result.diagnostics, result.file) });
      return send({ kind: "readable", source: request.source, code: result.code });
    }
    case "weights": {
      const bytes = requireModel().saveWeights() as Uint8Array<ArrayBuffer>;
      return send({ kind: "weights", bytes, className }, [bytes.buffer]);
    }
  }
}

async function compileModel(source: string, name: string): Promise<void> {
  const start = performance.now();
  const result = await compile(source, { path: "playground.cnn" });
  const compileMilliseconds = performance.now() - start;
  if (result.code === undefined) {
    return send({ kind: "compile-failed", diagnostics: toJsonDiagnostics(result.diagnostics, result.file) });
  }
  const transpileStart = performance.now();
  const javascript = stripTypes(result.code);
  const transpileMilliseconds = performance.now() - transpileStart;
  Model = await importModule(javascript, name);
  className = name;
  model = undefined;
  send({ kind: "compiled", code: result.code, javascript, className: name, compileMilliseconds, transpileMilliseconds });
}

async function train(settings: TrainSettings, stop: SharedArrayBuffer | null): Promise<void> {
  if (Model === undefined) throw new Error("compile the program before training it");
  if (Model.inputSize !== pixels || Model.outputSize !== 10) {
    throw new Error(`MNIST needs an input of 28x28x1 (784 values) and 10 outputs; ${className} takes ${Model.inputSize} and gives ${Model.outputSize}`);
  }
  mnist ??= loadMnist(new URL("mnist.bin.gz", self.location.href));
  const data = await mnist;
  const trainSet = firstDigits(data.train, settings.trainCount);
  const testSet = firstDigits(data.test, settings.testCount);
  const probeSet = firstDigits(testSet, probeDigits);
  send({ kind: "data", train: trainSet.n, test: testSet.n });
  const stopFlag = stop === null ? null : new Int32Array(stop);
  model = new Model({ seed: settings.seed });
  const batches = Math.ceil(trainSet.n / Math.min(settings.batchSize, trainSet.n));
  const probeEvery = Math.max(1, Math.round(batches / probesPerEpoch));
  let samplesBefore = 0;
  let probeSeconds = 0;
  // this epoch's training time and samples so far, and the finished epochs' totals
  let epochSeconds = 0;
  let epochSamples = 0;
  let totalSeconds = 0;
  let stopped = false;
  const current = model;
  try {
    current.fit(trainSet.images, trainSet.labels, trainSet.n, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      validation: { xs: testSet.images, targets: testSet.labels, n: testSet.n },
      onBatch: (log: { epoch: number; batch: number; batches: number; samples: number; loss: number; accuracy: number; elapsedSeconds: number }) => {
        if (stopFlag !== null && Atomics.load(stopFlag, 0) !== 0) throw new Stopped();
        const samples = samplesBefore + log.samples;
        // samples/s of training alone: the probes' time is taken out
        epochSeconds = log.elapsedSeconds - probeSeconds;
        epochSamples = log.samples;
        const samplesPerSecond = epochSeconds > 0 ? log.samples / epochSeconds : 0;
        send({ kind: "batch", point: { epoch: log.epoch, batch: log.batch, batches: log.batches, samples, loss: log.loss, accuracy: log.accuracy, samplesPerSecond } });
        if (log.batch % probeEvery === 0 && log.batch !== log.batches) {
          const probeStart = performance.now();
          const probe = current.evaluate(probeSet.images, probeSet.labels, probeSet.n);
          probeSeconds += (performance.now() - probeStart) / 1000;
          send({ kind: "test", point: { samples, ...probe }, epochEnd: false });
        }
      },
      onEpoch: (log: { epoch: number; loss: number; accuracy: number; valLoss?: number; valAccuracy?: number }) => {
        samplesBefore += trainSet.n;
        totalSeconds += epochSeconds;
        probeSeconds = 0;
        epochSeconds = 0;
        epochSamples = 0;
        send({ kind: "epoch", epoch: log.epoch, samples: samplesBefore, loss: log.loss, accuracy: log.accuracy });
        send({ kind: "test", point: { samples: samplesBefore, loss: log.valLoss ?? NaN, accuracy: log.valAccuracy ?? NaN }, epochEnd: true });
      },
    });
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    stopped = true;
  }
  const samples = samplesBefore + epochSamples;
  const seconds = totalSeconds + epochSeconds;
  finish(current, testSet, stopped, seconds > 0 ? samples / seconds : 0);
}

function finish(current: LoadedModel, testSet: DigitSet, stopped: boolean, samplesPerSecond: number): void {
  const test = current.evaluate(testSet.images, testSet.labels, testSet.n);
  send({
    kind: "trained",
    stopped,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    confusion: confusionMatrix(current, testSet),
    samplesPerSecond,
  });
}

function predict(image: Float32Array): void {
  const probabilities = Array.from(requireModel().predict(image));
  send({ kind: "prediction", probabilities });
}

/** Before any training, the freshly initialised model answers (its guesses are chance). */
function requireModel(): LoadedModel {
  if (Model === undefined) throw new Error("compile the program first");
  model ??= new Model({ seed: 1 });
  return model;
}
