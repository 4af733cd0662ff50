// The generated module's guard rails: each fit() call's schedule spans its own steps,
// resetOptimizer(), non-finite training inputs and bad targets refused, the learning rate
// validated, loadWeights on an ArrayBuffer, frozen static tables, weight files across precisions.
import { describe, expect, it } from "vitest";
import { loadModel } from "./helpers/load.js";
import { targets } from "./helpers/targets.js";

const source = (loss: string, optimizer: string, out = 3): string => `
model Net {
  input x: [4]
  h = x |> dense(5) |> tanh
  output y = h |> dense(${out})${loss === "binary_cross_entropy" ? " |> sigmoid" : ""}
  train {
    loss ${loss}(y)
    optimizer ${optimizer}
  }
}
`;

const n = 6;
const xs = Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 1.7));
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);

type Weights = { name: string; data: Float32Array | Float64Array }[];
const flat = (w: Weights): number[] => w.flatMap((p) => [...p.data]);

describe.each(targets)("--target %s", (target) => {
  // every compile of this suite on the target under test
  const load = (source: string, options: Parameters<typeof loadModel>[1] = {}) => loadModel(source, { ...options, target });

  describe("schedules across fit() calls", { timeout: 60_000 }, () => {
    it("a second fit on a cosine model starts again at the full learning rate", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.5, schedule: cosine)"), { precision: "f64" });
      const net = new Net({ seed: 3 });
      net.fit(xs, labels, n, { epochs: 2, batchSize: n, shuffle: false });
      // the second fit is one step on the whole batch: w - lr * g, with the cosine factor at 1
      const before = flat(net.getWeights());
      net.computeGradients(xs, labels, n);
      const g = flat(net.getGradients());
      net.fit(xs, labels, n, { epochs: 1, batchSize: n, shuffle: false });
      const after = flat(net.getWeights());
      expect(g.some((v) => Math.abs(v) > 1e-6)).toBe(true);
      after.forEach((w, i) => expect(w).toBeCloseTo(before[i]! - 0.5 * g[i]!, 12));
    });

    it("a second fit on a step schedule starts its decay again", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.5, schedule: step(every: 1, gamma: 0.1))"), { precision: "f64" });
      const net = new Net({ seed: 3 });
      net.fit(xs, labels, n, { epochs: 3, batchSize: n, shuffle: false });
      const before = flat(net.getWeights());
      net.computeGradients(xs, labels, n);
      const g = flat(net.getGradients());
      net.fit(xs, labels, n, { epochs: 1, batchSize: n, shuffle: false });
      flat(net.getWeights()).forEach((w, i) => expect(w).toBeCloseTo(before[i]! - 0.5 * g[i]!, 12));
    });

    for (const optimizer of ["sgd(lr: 0.1, momentum: 0.9)", "adam(lr: 0.01)"]) {
      it(`resetOptimizer makes the next step a fresh ${optimizer.split("(")[0]}'s first`, async () => {
        const { Net } = await load(source("softmax_cross_entropy", optimizer), { precision: "f64" });
        const trained = new Net({ seed: 1 });
        for (let i = 0; i < 5; i++) trained.trainBatch(xs, labels, n);
        const fresh = new Net({ seed: 2 });
        fresh.setWeights(trained.getWeights());
        trained.resetOptimizer();
        trained.trainBatch(xs, labels, n);
        fresh.trainBatch(xs, labels, n);
        expect(flat(trained.getWeights())).toEqual(flat(fresh.getWeights()));
        // without the reset, the momentum of the five earlier steps moves the weights elsewhere
        const unreset = new Net({ seed: 1 });
        for (let i = 0; i < 6; i++) unreset.trainBatch(xs, labels, n);
        expect(flat(unreset.getWeights())).not.toEqual(flat(fresh.getWeights()));
      });
    }
  });

  describe("runtime checks", { timeout: 60_000 }, () => {
    it("refuses a non-finite training input, naming the sample and index, and stays usable", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.1)"));
      const net = new Net({ seed: 1 });
      const before = flat(net.getWeights());
      const bad = xs.slice();
      bad[2 * 4 + 3] = NaN;
      expect(() => net.trainBatch(bad, labels, n)).toThrow(/^Net\.computeGradients: input value NaN of sample 2 at index 3 is not finite$/);
      bad[2 * 4 + 3] = Infinity;
      expect(() => net.trainBatch(bad, labels, n)).toThrow(RangeError);
      expect(() => net.fit(bad, labels, n)).toThrow(/^fit: xs\[11\] = Infinity \(sample 2, index 3\) is not finite$/);
      expect(flat(net.getWeights())).toEqual(before);
      // predict stays unchecked for speed (documented): NaN in, NaN out
      bad[2 * 4 + 3] = NaN;
      expect(Number.isNaN(net.predict(bad.subarray(8, 12))[0])).toBe(true);
      expect(Number.isFinite(net.trainBatch(xs, labels, n))).toBe(true);
    });

    it("refuses binary cross-entropy targets outside [0, 1]", async () => {
      const { Net } = await load(source("binary_cross_entropy", "sgd(lr: 0.1)", 1));
      const net = new Net({ seed: 1 });
      for (const t of [2, -1, NaN]) {
        const targets = new Float32Array(n).fill(0.5);
        targets[4] = t;
        expect(() => net.trainBatch(xs, targets, n)).toThrow(new RegExp(`target ${t} at index 4 is not in \\[0, 1\\]`));
      }
      expect(Number.isFinite(net.trainBatch(xs, new Float32Array(n).fill(1), n))).toBe(true);
    });

    it("refuses a NaN or negative learning rate", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.1)"));
      const net = new Net({ seed: 1 });
      const before = flat(net.getWeights());
      for (const lr of [NaN, -1, Infinity]) {
        net.learningRate = lr;
        expect(() => net.trainBatch(xs, labels, n)).toThrow(/learningRate must be a finite number >= 0/);
      }
      expect(flat(net.getWeights())).toEqual(before);
      net.learningRate = 0;
      net.trainBatch(xs, labels, n);
      expect(flat(net.getWeights())).toEqual(before);
    });

    it("says where class indices go when they come in a Float32Array", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.1)"));
      const net = new Net({ seed: 1 });
      const asFloats = Float32Array.from(labels);
      expect(() => net.trainBatch(xs, asFloats, n)).toThrow(/got 6; class indices go in an Int32Array or Uint8Array$/);
      expect(() => net.fit(xs, asFloats, n)).toThrow(/class indices go in an Int32Array or Uint8Array$/);
      // a wrong length that is not n gets no such hint
      expect(() => net.trainBatch(xs, new Float32Array(5), n)).toThrow(/got 5$/);
    });

    it("freezes inputShape, outputShape and parameters", async () => {
      const { Net } = await load(source("softmax_cross_entropy", "sgd(lr: 0.1)"));
      expect(Object.isFrozen(Net.inputShape) && Object.isFrozen(Net.outputShape) && Object.isFrozen(Net.parameters)).toBe(true);
      expect(() => (Net.parameters[0].shape[0] = 99)).toThrow(TypeError);
      expect(() => Net.parameters.push({ name: "x", shape: [1] })).toThrow(TypeError);
      expect(() => (Net.inputShape[0] = 1)).toThrow(TypeError);
      expect(new Net({ seed: 1 }).getWeights()[0].shape).toEqual([4, 5]);
    });
  });

  describe("weight files", { timeout: 60_000 }, () => {
    const inference = "model Net {\n  input x: [4]\n  y = x |> dense(3)\n}\n";

    it("loadWeights takes an ArrayBuffer (what fetch gives) and refuses other things clearly", async () => {
      const { Net } = await load(inference);
      const a = new Net({ seed: 1 });
      const b = new Net({ seed: 2 });
      const bytes: Uint8Array = a.saveWeights();
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      b.loadWeights(buffer);
      expect(flat(b.getWeights())).toEqual(flat(a.getWeights()));
      expect(() => b.loadWeights(new Float32Array(4))).toThrow(/^loadWeights: expected the file's bytes as a Uint8Array or an ArrayBuffer, got \[object Float32Array\]$/);
    });

    it("moves weights between f32 and f64 builds both ways", async () => {
      const f32 = (await load(inference)).Net;
      const f64 = (await load(inference, { precision: "f64" })).Net;
      const wide = new f64({ seed: 5 });
      const narrow = new f32({ seed: 6 });
      narrow.loadWeights(wide.saveWeights());
      // F64 into f32 rounds each value to the nearest float32
      expect(flat(narrow.getWeights())).toEqual(flat(wide.getWeights()).map(Math.fround));
      const back = new f64({ seed: 7 });
      back.loadWeights(narrow.saveWeights());
      expect(flat(back.getWeights())).toEqual(flat(narrow.getWeights()));
      // a value float32 cannot hold is refused, and nothing is written
      const huge = new f64({ seed: 8 });
      const w = huge.getWeights();
      w[0].data[0] = 1e300;
      huge.setWeights(w);
      const before = flat(narrow.getWeights());
      expect(() => narrow.loadWeights(huge.saveWeights())).toThrow(/non-finite value Infinity/);
      expect(flat(narrow.getWeights())).toEqual(before);
    });
  });
});
