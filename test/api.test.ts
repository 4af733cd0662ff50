// The generated module's public contract: static metadata, seeding, the weights API and its
// validation, argument errors that leave the instance usable, which methods exist, and the
// behaviour of the training entry points.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";
import { targets } from "./helpers/targets.js";

type Data = Float32Array | Float64Array;
type WeightList = { name: string; shape: number[]; data: Data }[];

const lenetSource = readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8");

const trainedSource = `
model Small {
  input x: [6, 6, 2]
  features = x |> conv2d(3, kernel: 3) |> relu |> maxpool(2)
  logits = features |> flatten |> dense(4)
  train { loss softmax_cross_entropy(logits) optimizer sgd(lr: 0.1, momentum: 0.9) }
}
model Regress {
  input x: [5]
  y = x |> dense(3) |> tanh
  train { loss mse(y) optimizer adam(lr: 0.01) }
}
`;

const inferenceSource = `
model Infer {
  input x: [4, 4, 1]
  y = x |> conv2d(2, kernel: 2) |> flatten |> dense(3)
}
`;

/** The LeNet parameters as LANGUAGE.md names them, with their Keras shapes, in declaration order. */
const lenetParams: [string, number[]][] = [
  ["features.conv2d1.kernel", [5, 5, 1, 6]],
  ["features.conv2d1.bias", [6]],
  ["features.conv2d2.kernel", [5, 5, 6, 16]],
  ["features.conv2d2.bias", [16]],
  ["logits.dense1.kernel", [400, 120]],
  ["logits.dense1.bias", [120]],
  ["logits.dense2.kernel", [120, 84]],
  ["logits.dense2.bias", [84]],
  ["logits.dense3.kernel", [84, 10]],
  ["logits.dense3.bias", [10]],
];

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** True when two arrays hold the same values element for element (fast on 60k values). */
function sameData(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The first difference between two weight lists, or "" when names, shapes and values agree. */
function difference(a: WeightList, b: WeightList): string {
  if (a.length !== b.length) return `${a.length} weights vs ${b.length}`;
  for (let k = 0; k < a.length; k++) {
    const [x, y] = [a[k]!, b[k]!];
    if (x.name !== y.name || x.shape.join() !== y.shape.join()) return `${x.name} [${x.shape}] vs ${y.name} [${y.shape}]`;
    if (x.data.constructor !== y.data.constructor || !sameData(x.data, y.data)) return `${x.name} values differ`;
  }
  return "";
}

function randomInputs(size: number, seed: number, Typed: typeof Float32Array | typeof Float64Array = Float32Array): Data {
  const r = rng(seed);
  return new Typed(Array.from({ length: size }, () => r() * 2 - 1));
}

describe.each(targets)("--target %s", (target) => {
  let LeNet: any;
  let f32: Record<string, any>;
  let f64: Record<string, any>;

  // One compile per precision (compiling dominates the run time): LeNet and the inference-only
  // model in f32, the small trained models in both.
  beforeAll(async () => {
    [f32, f64] = await Promise.all([
      loadModel([lenetSource, trainedSource, inferenceSource].join("\n"), { path: "api.cnn", format: false, target }),
      loadModel(trainedSource, { path: "api.cnn", precision: "f64", format: false, target }),
    ]);
    LeNet = f32.LeNet;
  }, 120_000);

  describe("static metadata", () => {
    it("LeNet: shapes, sizes and the parameter count", () => {
      expect(LeNet.inputShape).toEqual([28, 28, 1]);
      expect(LeNet.outputShape).toEqual([10]);
      expect(LeNet.inputSize).toBe(28 * 28);
      expect(LeNet.outputSize).toBe(10);
      expect(LeNet.paramCount).toBe(lenetParams.reduce((sum, [, shape]) => sum + product(shape), 0));
      expect(LeNet.paramCount).toBe(61_706);
    });

    it("a model's sizes agree with its shapes", () => {
      for (const Model of [f32.Small, f32.Regress, f32.Infer]) {
        expect(Model.inputSize).toBe(product(Model.inputShape));
        expect(Model.outputSize).toBe(product(Model.outputShape));
      }
      expect(f32.Small.outputShape).toEqual([4]);
      expect(f32.Infer.paramCount).toBe(2 * 2 * 1 * 2 + 2 + 18 * 3 + 3);
    });
  });

  describe("seeded initialisation", () => {
    it("the same seed gives bit-identical weights; different seeds differ", () => {
      const a = new LeNet({ seed: 42 }).getWeights();
      const b = new LeNet({ seed: 42 }).getWeights();
      const c = new LeNet({ seed: 43 }).getWeights();
      expect(difference(b, a)).toBe("");
      a.forEach((w: { name: string; data: Data }, k: number) => {
        if (w.name.endsWith(".kernel")) expect(sameData(c[k].data, w.data), w.name).toBe(false);
      });
    });

    it("Keras defaults: Glorot-uniform kernels within their limit, zero biases", () => {
      const net = new LeNet({ seed: 1 });
      for (const w of net.getWeights() as WeightList) {
        if (w.name.endsWith(".bias")) {
          expect(w.data.every((v) => v === 0)).toBe(true);
          continue;
        }
        // Keras' fans: conv [kh, kw, in, out] has fan_in kh*kw*in and fan_out kh*kw*out.
        const receptive = product(w.shape.slice(0, -2));
        const limit = Math.sqrt(6 / (receptive * w.shape.at(-2)! + receptive * w.shape.at(-1)!));
        const max = Math.max(...Array.from(w.data, Math.abs));
        expect(max).toBeLessThanOrEqual(limit * (1 + 1e-6));
        expect(max).toBeGreaterThan(limit * 0.5);
      }
    });

    it("rejects a seed that is not a 32-bit unsigned integer", () => {
      expect(() => new LeNet({ seed: -1 })).toThrow(RangeError);
      expect(() => new LeNet({ seed: 1.5 })).toThrow(RangeError);
    });
  });

  describe("getWeights", () => {
    it("names, order and Keras shapes as LANGUAGE.md says", () => {
      const weights: WeightList = new LeNet({ seed: 1 }).getWeights();
      expect(weights.map((w) => [w.name, w.shape])).toEqual(lenetParams);
      for (const w of weights) expect(w.data.length).toBe(product(w.shape));
    });

    it("returns copies: changing them changes neither the model nor the next copy", () => {
      const net = new LeNet({ seed: 1 });
      const x = randomInputs(784, 2);
      const before = net.predict(x);
      const weights: WeightList = net.getWeights();
      for (const w of weights) w.data.fill(0.5);
      weights[0]!.shape[0] = 99;
      expect(difference(net.getWeights(), new LeNet({ seed: 1 }).getWeights())).toBe("");
      expect(net.predict(x)).toEqual(before);
    });
  });

  describe("setWeights", () => {
    /** A valid list with every value changed, so a partial write would show. */
    const changed = (net: any): WeightList =>
      (net.getWeights() as WeightList).map((w) => ({ ...w, data: w.data.map((v) => v * 2 + 0.25) }));

    it("round-trips a valid list", () => {
      const net = new LeNet({ seed: 1 });
      const list = changed(net);
      net.setWeights(list);
      expect(difference(net.getWeights(), list)).toBe("");
    });

    const bad: [string, (list: WeightList) => WeightList, string][] = [
      ["an unknown name", (l) => [...l, { name: "logits.dense4.kernel", shape: [10, 2], data: new Float32Array(20) }], "logits.dense4.kernel"],
      ["a missing weight", (l) => l.filter((w) => w.name !== "logits.dense3.bias"), "logits.dense3.bias"],
      ["a duplicate name", (l) => [...l, { ...l[8]! }], "logits.dense3.kernel"],
      ["a wrong shape with the right length", (l) => l.map((w) => (w.name === "logits.dense3.kernel" ? { ...w, shape: [10, 84] } : w)), "logits.dense3.kernel"],
      ["a wrong rank", (l) => l.map((w) => (w.name === "features.conv2d2.kernel" ? { ...w, shape: [25, 6, 16] } : w)), "features.conv2d2.kernel"],
      ["a wrong length", (l) => l.map((w) => (w.name === "logits.dense3.bias" ? { ...w, data: w.data.slice(0, 9) } : w)), "logits.dense3.bias"],
      ["a NaN", (l) => l.map((w) => (w.name === "logits.dense3.bias" ? { ...w, data: w.data.map((v, i) => (i === 9 ? NaN : v)) } : w)), "logits.dense3.bias"],
      ["an Infinity", (l) => l.map((w) => (w.name === "logits.dense2.kernel" ? { ...w, data: w.data.map((v, i) => (i === 7 ? Infinity : v)) } : w)), "logits.dense2.kernel"],
      ["a -Infinity", (l) => l.map((w) => (w.name === "logits.dense3.bias" ? { ...w, data: w.data.map((v, i) => (i === 0 ? -Infinity : v)) } : w)), "logits.dense3.bias"],
    ];

    it.each(bad)("rejects %s, naming the weight, and writes nothing", (_, corrupt, name) => {
      const net = new LeNet({ seed: 3 });
      const original = net.getWeights();
      expect(() => net.setWeights(corrupt(changed(net)))).toThrow(name);
      expect(difference(net.getWeights(), original)).toBe("");
    });
  });

  describe("argument errors throw a RangeError and leave the instance usable", () => {
    const seed = 5;
    const x = randomInputs(784, 6);
    const xs = randomInputs(2 * 784, 7);
    const labels = Int32Array.from([3, 7]);

    /** After the error, the instance answers exactly as a fresh one does. */
    function expectUsable(net: any): void {
      const fresh = new LeNet({ seed });
      expect(net.predict(x)).toEqual(fresh.predict(x));
      expect(net.trainBatch(xs, labels, 2)).toBe(fresh.trainBatch(xs, labels, 2));
      expect(difference(net.getWeights(), fresh.getWeights())).toBe("");
    }

    const errors: [string, (net: any) => unknown, RegExp][] = [
      ["predict with too few values", (net) => net.predict(new Float32Array(783)), /784/],
      ["predict with too many values", (net) => net.predict(new Float32Array(785)), /784/],
      ["predictBatch with a length that is not n samples", (net) => net.predictBatch(xs, 3), /2352/],
      ["predictBatch with n = 0", (net) => net.predictBatch(xs, 0), /\bn\b.*positive integer/],
      ["predictBatch with n = 1.5", (net) => net.predictBatch(xs, 1.5), /\bn\b.*positive integer/],
      ["predictBatch with n = -2", (net) => net.predictBatch(xs, -2), /\bn\b.*positive integer/],
      ["predictBatch with n = NaN", (net) => net.predictBatch(xs, NaN), /\bn\b.*positive integer/],
      ["trainBatch with a label of 10", (net) => net.trainBatch(xs, Int32Array.from([3, 10]), 2), /label 10.*0 to 9/],
      ["trainBatch with a label of -1", (net) => net.trainBatch(xs, Int32Array.from([-1, 3]), 2), /label -1.*0 to 9/],
      ["trainBatch with too few labels", (net) => net.trainBatch(xs, Int32Array.from([3]), 2), /2 class labels/],
      ["trainBatch with one-hot targets of the wrong length", (net) => net.trainBatch(xs, new Float32Array(19), 2), /20 target values/],
      ["computeGradients with n = 0", (net) => net.computeGradients(xs, labels, 0), /\bn\b.*positive integer/],
      ["computeGradients with the wrong input length", (net) => net.computeGradients(xs.subarray(1), labels, 2), /1568/],
      ["evaluate with a label out of range", (net) => net.evaluate(xs, Uint8Array.from([200, 1]), 2), /label 200.*0 to 9/],
    ];

    it.each(errors)("%s", (_, call, message) => {
      const net = new LeNet({ seed });
      expect(() => call(net)).toThrow(RangeError);
      expect(() => call(net)).toThrow(message);
      expectUsable(net);
    });

    it("mse targets of the wrong length", () => {
      const net = new f64.Regress({ seed: 1 });
      const inputs = randomInputs(10, 2, Float64Array);
      expect(() => net.trainBatch(inputs, new Float64Array(5), 2)).toThrow(RangeError);
      expect(() => net.trainBatch(inputs, new Float64Array(5), 2)).toThrow(/6 target values/);
      const targets = randomInputs(6, 3, Float64Array);
      const fresh = new f64.Regress({ seed: 1 });
      expect(net.trainBatch(inputs, targets, 2)).toBe(fresh.trainBatch(inputs, targets, 2));
      expect(difference(net.getWeights(), fresh.getWeights())).toBe("");
    });
  });

  describe("which methods exist", () => {
    const trainingMethods = ["trainBatch", "computeGradients", "getGradients", "evaluate", "fit"];

    it("a model without a train section has only the inference and weights surface", () => {
      const net = new f32.Infer({ seed: 1 });
      for (const method of trainingMethods) expect(net[method], method).toBeUndefined();
      for (const method of ["predict", "predictBatch", "getWeights", "setWeights"]) expect(typeof net[method], method).toBe("function");
      expect(net.predict(new Float32Array(16)).length).toBe(3);
    });

    it("a model with a train section has every training method", () => {
      const net = new f32.Small({ seed: 1 });
      for (const method of trainingMethods) expect(typeof net[method], method).toBe("function");
    });
  });

  describe("training entry points", () => {
    const n = 3;
    const xs = randomInputs(n * 72, 11);
    const labels = Int32Array.from([0, 3, 1]);

    it("computeGradients fills gradients and leaves the weights unchanged", () => {
      const net = new f32.Small({ seed: 2 });
      const before = net.getWeights();
      const loss = net.computeGradients(xs, labels, n);
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeGreaterThan(0);
      expect(difference(net.getWeights(), before)).toBe("");
      const grads: WeightList = net.getGradients();
      expect(grads.map((g) => [g.name, g.shape])).toEqual(before.map((w: { name: string; shape: number[] }) => [w.name, w.shape]));
      expect(grads.some((g) => g.data.some((v) => v !== 0))).toBe(true);
    });

    it("trainBatch returns the loss before its step and changes every parameter tensor that has a gradient", () => {
      const net = new f32.Small({ seed: 2 });
      const before: WeightList = net.getWeights();
      const expectedLoss = new f32.Small({ seed: 2 }).computeGradients(xs, labels, n);
      expect(net.trainBatch(xs, labels, n)).toBe(expectedLoss);
      const grads: WeightList = net.getGradients();
      const after: WeightList = net.getWeights();
      after.forEach((w, k) => {
        if (grads[k]!.data.some((g) => g !== 0)) expect(sameData(w.data, before[k]!.data), w.name).toBe(false);
      });
    });

    it("one-hot Float32Array targets give the loss and gradients of class labels", () => {
      const oneHot = Float32Array.from({ length: n * 4 }, (_, i) => (labels[Math.floor(i / 4)] === i % 4 ? 1 : 0));
      const a = new f32.Small({ seed: 4 });
      const b = new f32.Small({ seed: 4 });
      const c = new f32.Small({ seed: 4 });
      const loss = a.computeGradients(xs, labels, n);
      expect(b.computeGradients(xs, oneHot, n)).toBeCloseTo(loss, 6);
      expect(c.computeGradients(xs, Uint8Array.from(labels), n)).toBe(loss);
      const ga: WeightList = a.getGradients();
      const gb: WeightList = b.getGradients();
      ga.forEach((g, k) => g.data.forEach((v, i) => expect(Math.abs(v - gb[k]!.data[i]!)).toBeLessThan(1e-6)));
    });

    it("evaluate uses the weights without changing them", () => {
      const net = new f32.Small({ seed: 4 });
      const before = net.getWeights();
      const { loss, accuracy } = net.evaluate(xs, labels, n);
      expect(loss).toBeCloseTo(new f32.Small({ seed: 4 }).computeGradients(xs, labels, n), 6);
      expect([0, 1 / 3, 2 / 3, 1]).toContain(accuracy);
      expect(difference(net.getWeights(), before)).toBe("");
    });
  });

  describe("precision and batching", () => {
    it("--precision f64 gives Float64Array outputs, weights and gradients; f32 gives Float32Array", () => {
      const wide = new f64.Small({ seed: 1 });
      const narrow = new f32.Small({ seed: 1 });
      const x = randomInputs(72, 3, Float64Array);
      expect(wide.predict(x)).toBeInstanceOf(Float64Array);
      expect(wide.predictBatch(x, 1)).toBeInstanceOf(Float64Array);
      expect(wide.getWeights()[0].data).toBeInstanceOf(Float64Array);
      wide.computeGradients(x, Int32Array.from([1]), 1);
      expect(wide.getGradients()[0].data).toBeInstanceOf(Float64Array);
      expect(narrow.predict(x)).toBeInstanceOf(Float32Array);
      expect(narrow.predictBatch(x, 1)).toBeInstanceOf(Float32Array);
      expect(narrow.getWeights()[0].data).toBeInstanceOf(Float32Array);
      // Both initialise from one stream: the f32 weights are the f64 ones rounded.
      expect(narrow.getWeights()[0].data).toEqual(Float32Array.from(wide.getWeights()[0].data));
    });

    it("predictBatch equals n calls of predict, bit for bit", () => {
      for (const Model of [LeNet, f32.Small, f64.Small, f64.Regress]) {
        const net = new Model({ seed: 9 });
        const n = 4;
        const xs = randomInputs(n * Model.inputSize, 10, f64.Small === Model || f64.Regress === Model ? Float64Array : Float32Array);
        const batch = net.predictBatch(xs, n);
        expect(batch.length).toBe(n * Model.outputSize);
        for (let s = 0; s < n; s++) {
          const one = net.predict(xs.subarray(s * Model.inputSize, (s + 1) * Model.inputSize));
          expect(batch.subarray(s * Model.outputSize, (s + 1) * Model.outputSize)).toEqual(one);
        }
      }
    });

    it("predict accepts a plain array as well as a typed one", () => {
      const net = new f64.Regress({ seed: 1 });
      const x = [0.5, -0.25, 1, 0, -1];
      expect(net.predict(x)).toEqual(net.predict(Float64Array.from(x)));
    });
  });
});
