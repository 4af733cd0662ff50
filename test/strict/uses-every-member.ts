// A user's file in a strict project that touches every public member of a generated module,
// type-checked against the .d.ts beside the .js (test/javascript.test.ts copies it next to
// lenet.js). Each @ts-expect-error line is a misuse the declarations must reject: were they
// `any`, the unused directive would be the error.
import { LeNet } from "./lenet.js";

const shape: readonly [28, 28, 1] = LeNet.inputShape;
const out: readonly [10] = LeNet.outputShape;
const sizes: number = LeNet.inputSize + LeNet.outputSize + LeNet.paramCount + shape.length + out.length;
const first: "features.conv2d1.kernel" = LeNet.parameters[0].name;
const kernel: readonly [5, 5, 1, 6] = LeNet.parameters[0].shape;

const net = new LeNet({ seed: 1 });
const other = new LeNet();
const seed: number = net.seed + other.seed;
net.learningRate = 0.005;

const xs = new Float32Array(2 * LeNet.inputSize);
const labels = new Uint8Array([3, 7]);
const probs: Float32Array = net.predict(xs.subarray(0, LeNet.inputSize));
const batch: Float32Array = net.predictBatch(xs, 2);
const loss: number = net.trainBatch(xs, labels, 2) + net.computeGradients(xs, new Int32Array([1, 2]), 2);
const scores: { loss: number; accuracy: number } = net.evaluate(xs, labels, 2);
net.setTrainingHorizon(10);
const weights: { name: string; shape: number[]; data: Float32Array }[] = net.getWeights();
net.setWeights(weights);
const gradients: Float32Array | undefined = net.getGradients()[0]?.data;
const { history } = net.fit(xs, labels, 2, {
  epochs: 1,
  batchSize: 2,
  shuffle: false,
  seed: 2,
  validation: { xs, targets: labels, n: 2 },
  onBatch: (log) => void (log.epoch + log.epochs + log.batch + log.batches + log.samples + log.loss + log.accuracy + log.samplesPerSecond + log.elapsedSeconds),
  onEpoch: (log) => void (log.epoch + log.loss + log.accuracy + (log.valLoss ?? 0) + (log.valAccuracy ?? 0) + log.samplesPerSecond + log.seconds),
});
const bytes: Uint8Array = net.saveWeights();
other.loadWeights(bytes);

// @ts-expect-error: a string is not a sample
net.predict("not numbers");
// @ts-expect-error: the batch size is required
net.trainBatch(xs, labels);
// @ts-expect-error: the arena is private
void net.a;
// @ts-expect-error: the shapes are readonly
LeNet.inputShape[0] = 32;
// @ts-expect-error: exactOptionalPropertyTypes: an absent seed is left out, not undefined
new LeNet({ seed: undefined });

export const used = [sizes, first, kernel, seed, probs, batch, loss, scores, gradients, history];
