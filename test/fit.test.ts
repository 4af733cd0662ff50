// fit() on real compiled models: determinism, callbacks, validation, target kinds, schedules,
// and the RangeErrors for bad arguments.
import { describe, expect, it } from "vitest";
import { loadModel } from "./helpers/load.js";
import { targets, type Target } from "./helpers/targets.js";
import { seededRandom } from "../examples/mnist/random.js";

const classifierSource = (optimizer: string): string => `
model Blobs {
  input image: [8, 8, 1]
  features = image |> conv2d(4, kernel: 3) |> relu |> maxpool(2)
  logits = features |> flatten |> dense(3)
  train {
    loss softmax_cross_entropy(logits)
    optimizer ${optimizer}
  }
}
`;

const regressionSource = `
model Line {
  input x: [4]
  y = x |> dense(2)
  train {
    loss mse(y)
    optimizer adam(lr: 0.05)
  }
}
`;

const lossNotOnOutputSource = `
model Heads {
  input x: [3]
  h = x |> dense(4)
  output y = h |> dense(2)
  train {
    loss mse(h)
    optimizer sgd(lr: 0.1)
  }
}
`;

interface EpochLog {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  samplesPerSecond: number;
  seconds: number;
}

interface BatchLog {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  samples: number;
  loss: number;
  accuracy?: number;
  samplesPerSecond: number;
  elapsedSeconds: number;
}

type Targets = Int32Array | Uint8Array | Float32Array | Float64Array;

interface FitOptions {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  validation?: { xs: ArrayLike<number>; targets: Targets; n: number };
  onBatch?: (log: BatchLog) => void;
  onEpoch?: (log: EpochLog) => void;
}

interface Model {
  fit(xs: ArrayLike<number>, targets: Targets, n: number, options?: FitOptions): { history: EpochLog[] };
  getWeights(): { name: string; data: Float32Array }[];
  trainBatch(xs: ArrayLike<number>, targets: Targets, n: number): number;
}

type ModelClass = new (options?: { seed?: number }) => Model;

const compiledCache = new Map<string, Promise<ModelClass>>();

/** Compiles each source once per file: compiling dominates these tests' time. */
function compiled(source: string, name: string, target: Target): Promise<ModelClass> {
  let model = compiledCache.get(`${target} ${source}`);
  if (model === undefined) {
    model = loadModel(source, { path: `${name}.cnn`, target }).then((module) => module[name] as ModelClass);
    compiledCache.set(`${target} ${source}`, model);
  }
  return model;
}

interface Blobs {
  xs: Float32Array;
  labels: Int32Array;
  oneHot: Float32Array;
  n: number;
}

/** Three easy classes: a bright 3x3 square in the top-left, centre or bottom-right, plus noise. */
function blobs(n: number, seed: number): Blobs {
  const random = seededRandom(seed);
  const xs = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  const oneHot = new Float32Array(n * 3);
  for (let s = 0; s < n; s++) {
    const label = s % 3;
    labels[s] = label;
    oneHot[s * 3 + label] = 1;
    const corner = [0, 2, 5][label]!;
    for (let p = 0; p < 64; p++) xs[s * 64 + p] = 0.3 * random();
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        const p = s * 64 + (corner + r) * 8 + corner + c;
        xs[p] = xs[p]! + 1;
      }
    }
  }
  return { xs, labels, oneHot, n };
}

/** The parts of a history that must not depend on timing. */
function metrics(history: readonly EpochLog[]): unknown[] {
  return history.map(({ epoch, loss, accuracy, valLoss, valAccuracy }) => ({ epoch, loss, accuracy, valLoss, valAccuracy }));
}

const sgd = "sgd(lr: 0.05, momentum: 0.9)";

describe.each(targets)("fit (--target %s)", (target) => {
  it("gives bit-identical histories and weights for the same seed, different ones for another seed", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(90, 1);
    const valid = blobs(30, 2);
    const run = (seed: number) => {
      const model = new Blobs({ seed: 7 });
      const { history } = model.fit(data.xs, data.labels, data.n, {
        epochs: 3,
        batchSize: 16,
        seed,
        validation: { xs: valid.xs, targets: valid.labels, n: valid.n },
      });
      return { history: metrics(history), weights: model.getWeights().map((w) => Array.from(w.data)) };
    };
    const first = run(11);
    const second = run(11);
    expect(second.history).toEqual(first.history);
    expect(second.weights).toEqual(first.weights);
    expect(run(12).history).not.toEqual(first.history);
  });

  it("learns an easy task: loss falls, accuracy and validation accuracy reach 90%", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(120, 3);
    const valid = blobs(60, 4);
    const { history } = new Blobs({ seed: 1 }).fit(data.xs, data.labels, data.n, {
      epochs: 6,
      batchSize: 10,
      validation: { xs: valid.xs, targets: valid.labels, n: valid.n },
    });
    const last = history[history.length - 1]!;
    expect(last.loss).toBeLessThan(history[0]!.loss);
    expect(last.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("calls onBatch once per batch and onEpoch once per epoch, with running means that end at the epoch's", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(50, 5);
    const batches: BatchLog[] = [];
    const epochs: EpochLog[] = [];
    const { history } = new Blobs({ seed: 2 }).fit(data.xs, data.labels, data.n, {
      epochs: 3,
      batchSize: 16,
      onBatch: (log) => batches.push(log),
      onEpoch: (log) => epochs.push(log),
    });
    // 50 samples in batches of 16: 16, 16, 16, 2
    expect(batches).toHaveLength(3 * 4);
    expect(epochs).toEqual(history);
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(batches.map((b) => [b.epoch, b.batch, b.samples])).toEqual(
      [1, 2, 3].flatMap((e) => [[e, 1, 16], [e, 2, 32], [e, 3, 48], [e, 4, 50]]),
    );
    for (const b of batches) {
      expect(b).toMatchObject({ epochs: 3, batches: 4 });
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.accuracy).toBeLessThanOrEqual(1);
      expect(b.samplesPerSecond).toBeGreaterThanOrEqual(0);
      expect(b.elapsedSeconds).toBeGreaterThanOrEqual(0);
    }
    for (const h of history) {
      const end = batches.filter((b) => b.epoch === h.epoch).at(-1)!;
      expect(end.loss).toBe(h.loss);
      expect(end.accuracy).toBe(h.accuracy);
      expect(h.valLoss).toBeUndefined();
      expect(h.valAccuracy).toBeUndefined();
    }
  });

  it("reports validation loss and accuracy when given validation data", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(30, 6);
    const valid = blobs(21, 7);
    const { history } = new Blobs({ seed: 3 }).fit(data.xs, data.labels, data.n, {
      epochs: 2,
      validation: { xs: valid.xs, targets: valid.oneHot, n: valid.n },
    });
    for (const h of history) {
      expect(h.valLoss).toBeGreaterThan(0);
      expect(Number.isFinite(h.valLoss)).toBe(true);
      // accuracy over 21 samples is a multiple of 1/21
      expect(Math.abs(h.valAccuracy! * 21 - Math.round(h.valAccuracy! * 21))).toBeLessThan(1e-9);
    }
  });

  it("gathers one-hot targets like class indices", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(40, 8);
    const options = { epochs: 2, batchSize: 8, seed: 4 };
    const byIndex = new Blobs({ seed: 5 }).fit(data.xs, data.labels, data.n, options).history;
    const byOneHot = new Blobs({ seed: 5 }).fit(data.xs, data.oneHot, data.n, options).history;
    byIndex.forEach((h, i) => {
      expect(byOneHot[i]!.loss).toBeCloseTo(h.loss, 4);
      expect(byOneHot[i]!.accuracy).toBe(h.accuracy);
    });
  });

  it("keeps the data order with shuffle: false, whatever the seed", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(30, 9);
    const run = (seed: number) => metrics(new Blobs({ seed: 6 }).fit(data.xs, data.labels, data.n, { epochs: 2, batchSize: 7, shuffle: false, seed }).history);
    expect(run(1)).toEqual(run(2));
  });

  it("treats a batch larger than the data set as one batch", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const data = blobs(9, 10);
    let calls = 0;
    new Blobs({ seed: 1 }).fit(data.xs, data.labels, data.n, { epochs: 2, batchSize: 100, onBatch: (b) => (calls++, expect(b.samples).toBe(9)) });
    expect(calls).toBe(2);
  });

  it("sets the training horizon, so a cosine schedule trains through fit", async () => {
    const Blobs = await compiled(classifierSource("sgd(lr: 0.05, momentum: 0.9, schedule: cosine)"), "Blobs", target);
    const data = blobs(30, 11);
    expect(() => new Blobs({ seed: 1 }).trainBatch(data.xs, data.labels, data.n)).toThrow(/setTrainingHorizon/);
    const { history } = new Blobs({ seed: 1 }).fit(data.xs, data.labels, data.n, { epochs: 2, batchSize: 8 });
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
  });

  it("trains a regression model from float targets, without accuracy", async () => {
    const Line = await compiled(regressionSource, "Line", target);
    const random = seededRandom(5);
    const n = 64;
    const xs = Float32Array.from({ length: n * 4 }, () => random() * 2 - 1);
    const ys = new Float32Array(n * 2);
    for (let s = 0; s < n; s++) {
      ys[s * 2] = xs[s * 4]! - 2 * xs[s * 4 + 1]!;
      ys[s * 2 + 1] = 0.5 * xs[s * 4 + 3]! + 1;
    }
    let sawBatch = false;
    const { history } = new Line({ seed: 1 }).fit(xs, ys, n, {
      epochs: 20,
      batchSize: 8,
      validation: { xs, targets: ys, n },
      onBatch: (b) => {
        sawBatch = true;
        expect(b).not.toHaveProperty("accuracy");
      },
    });
    expect(sawBatch).toBe(true);
    expect(history[history.length - 1]!.loss).toBeLessThan(history[0]!.loss / 4);
    expect(history[0]).not.toHaveProperty("accuracy");
    expect(history[0]).not.toHaveProperty("valAccuracy");
    expect(history[0]!.valLoss).toBeGreaterThan(0);
  });

  // Regression: fit() once checked targets against the output's size, so a loss on another
  // tensor could never be fitted (trainBatch could).
  it("takes targets the size of the tensor the loss is on, not of the output", async () => {
    const Heads = await compiled(lossNotOnOutputSource, "Heads", target);
    const n = 8;
    const xs = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i));
    const ts = Float32Array.from({ length: n * 4 }, (_, i) => Math.cos(i));
    const model = new Heads({ seed: 1 });
    const { history } = model.fit(xs, ts, n, { epochs: 2, batchSize: 4 });
    expect(history).toHaveLength(2);
    expect(Number.isFinite(history[1]!.loss)).toBe(true);
    expect(() => model.fit(xs, new Float32Array(n * 2), n)).toThrow(/expected n \* 4/);
  });

  it("throws a RangeError naming what was expected for bad arguments", async () => {
    const Blobs = await compiled(classifierSource(sgd), "Blobs", target);
    const model = new Blobs({ seed: 1 });
    const data = blobs(12, 12);
    const before = model.getWeights().map((w) => Array.from(w.data));
    const bad: [string, () => unknown, RegExp][] = [
      ["n = 0", () => model.fit(data.xs, data.labels, 0), /n must be an integer >= 1, got 0/],
      ["n fractional", () => model.fit(data.xs, data.labels, 1.5), /n must be an integer >= 1, got 1.5/],
      ["epochs = 0", () => model.fit(data.xs, data.labels, 12, { epochs: 0 }), /epochs must be an integer >= 1, got 0/],
      ["batchSize = 0", () => model.fit(data.xs, data.labels, 12, { batchSize: 0 }), /batchSize must be an integer >= 1, got 0/],
      ["seed = NaN", () => model.fit(data.xs, data.labels, 12, { seed: NaN }), /seed must be an integer/],
      ["xs too short", () => model.fit(data.xs.subarray(1), data.labels, 12), /xs has length 767, expected n \* 64 = 768/],
      ["too few labels", () => model.fit(data.xs, data.labels.subarray(1), 12), /targets holds 11 class indices, expected n = 12/],
      ["label out of range", () => model.fit(data.xs, Int32Array.from(data.labels, (l) => l + 1), 12), /targets\[\d+\] = 3 is not a class index in \[0, 3\)/],
      ["one-hot too short", () => model.fit(data.xs, data.oneHot.subarray(3), 12), /targets has length 33, expected n \* 3 = 36/],
      [
        "validation xs too long",
        () => model.fit(data.xs, data.labels, 12, { validation: { xs: new Float32Array(13 * 64), targets: data.labels, n: 12 } }),
        /validation.xs has length 832, expected n \* 64 = 768/,
      ],
      ["validation n = -1", () => model.fit(data.xs, data.labels, 12, { validation: { xs: data.xs, targets: data.labels, n: -1 } }), /validation.n must be an integer >= 1/],
    ];
    for (const [what, call, message] of bad) {
      expect(call, what).toThrow(RangeError);
      expect(call, what).toThrow(message);
    }
    // every check runs before the first step
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });
});
