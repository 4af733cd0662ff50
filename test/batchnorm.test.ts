// batchnorm (LANGUAGE.md, "batchnorm"): training-mode gradients over whole batches of 1, 2 and
// 5, prediction-mode gradients (frozen statistics), forward values in both modes against a
// reference written here, the moving statistics after trainBatch, the weights API with the
// state, the optimizer leaving the state alone, the layer-major arena growing with the batch,
// folded prediction against the unfolded layers, and a conv/batchnorm net learning digits. The
// forward values, the state, layer-major growth and frozen batch norms run on both targets; the
// wasm target also bit for bit against the TypeScript one (every optimizer, both precisions).
import { describe, expect, it } from "vitest";
import { firstDigits, loadAllDigits } from "../examples/mnist/data.js";
import { batchFor, gradcheck, gradcheckSource, rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

type Data = Float32Array | Float64Array;
const targets = ["ts", "wasm"] as const;
type WeightList = { name: string; shape: number[]; data: Data }[];

/** `input x: shape`, `y = x |> pipeline`, trained with mse on y. */
const model = (shape: string, pipeline: string, optimizer = "sgd(lr: 0.1)"): string => `model M {
  input x: ${shape}
  y = x |> ${pipeline}
  train { loss mse(y) optimizer ${optimizer} }
}`;

/** The reference: per channel (the last axis) over every sample and position of `xs`, in f64. */
function reference(xs: ArrayLike<number>, n: number, c: number, p: { gamma?: number[]; beta?: number[]; mean?: number[]; variance?: number[]; epsilon: number }) {
  const m = xs.length / n / c;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  for (let i = 0; i < xs.length; i++) mean[i % c]! += xs[i]! / (n * m);
  for (let i = 0; i < xs.length; i++) variance[i % c]! += (xs[i]! - mean[i % c]!) ** 2 / (n * m);
  const normalise = (mu: number[], v: number[]): number[] =>
    Array.from(xs, (x, i) => {
      const ch = i % c;
      return ((x - mu[ch]!) / Math.sqrt(v[ch]! + p.epsilon)) * (p.gamma?.[ch] ?? 1) + (p.beta?.[ch] ?? 0);
    });
  return { mean, variance, training: normalise(mean, variance), predicting: normalise(p.mean ?? mean, p.variance ?? variance) };
}

const random = (r: () => number, size: number, lo: number, hi: number): number[] => Array.from({ length: size }, () => lo + (hi - lo) * r());

function setByName(net: any, values: Record<string, number[]>): void {
  const list: WeightList = net.getWeights();
  for (const w of list) if (values[w.name]) w.data.set(values[w.name]!);
  net.setWeights(list);
}

describe("batchnorm: gradients in training mode, over the whole batch (float64 central differences)", () => {
  const cases: [string, string, string][] = [
    ["image", "[4, 3, 3]", "batchnorm"],
    ["vector", "[5]", "batchnorm(momentum: 0.5)"],
    ["center: false", "[3, 3, 2]", "batchnorm(center: false)"],
    ["scale: false", "[3, 3, 2]", "batchnorm(scale: false)"],
    ["neither", "[4]", "batchnorm(center: false, scale: false, epsilon: 0.1)"],
    ["after conv2d, before relu", "[5, 5, 2]", "conv2d(3, kernel: 3, padding: same) |> batchnorm |> relu |> conv2d(2, kernel: 1)"],
    ["after dense, no bias", "[6]", "dense(4, bias: false) |> batchnorm |> tanh |> dense(3)"],
    ["two in a row, a maxpool between", "[4, 4, 2]", "batchnorm |> maxpool(2) |> batchnorm"],
    ["sequence [length, channels]", "[6, 3]", "batchnorm(epsilon: 0.01) |> flatten |> dense(2)"],
  ];
  for (const [name, shape, pipeline] of cases)
    for (const n of [1, 2, 5])
      it(`${name}, batch of ${n}`, async () => {
        const result = await gradcheckSource(model(shape, pipeline), "mse", { n });
        expect(result.checked).toBeGreaterThan(0);
        expect(result.mismatches.slice(0, 5)).toEqual([]);
        expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
      });

  it("the readable build", async () => {
    const result = await gradcheckSource(model("[5, 5, 2]", "conv2d(3, kernel: 3, padding: same) |> batchnorm |> relu |> maxpool(2)"), "mse", { n: 3, readable: true });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
  });

  it("softmax cross-entropy on a batch-normalised logit layer, gamma and beta moved off their start", async () => {
    const mod = await loadModel(`model M {
      input x: [6]
      y = x |> dense(5) |> batchnorm
      train { loss softmax_cross_entropy(y) optimizer adam(lr: 0.01) }
    }`, { precision: "f64", inputGradient: true });
    const net = new mod.M({ seed: 3 });
    const r = rng(5);
    setByName(net, { "y.batchnorm1.gamma": random(r, 5, 0.5, 1.5), "y.batchnorm1.beta": random(r, 5, -0.5, 0.5) });
    const { xs, ts } = batchFor(mod.M, "softmax_cross_entropy", 4, 9);
    const result = gradcheck(net, xs, ts, 4);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.checked).toBeGreaterThan(40);
  });
});

for (const target of targets)
describe(`batchnorm: forward values against the reference (--target ${target})`, () => {
  const C = 3;
  const shape = [2, 3, C];
  const src = model("[2, 3, 3]", "batchnorm(momentum: 0.8, epsilon: 0.01)");

  async function setup(precision: "f32" | "f64") {
    const mod = await loadModel(src, { precision, target });
    const net = new mod.M({ seed: 1 });
    const r = rng(11);
    const p = { gamma: random(r, C, 0.5, 2), beta: random(r, C, -1, 1), mean: random(r, C, -0.5, 0.5), variance: random(r, C, 0.2, 3), epsilon: 0.01 };
    setByName(net, { "y.gamma": p.gamma, "y.beta": p.beta, "y.moving_mean": p.mean, "y.moving_variance": p.variance });
    return { mod, net, p, r };
  }

  for (const precision of ["f64", "f32"] as const) {
    const tol = precision === "f64" ? 1e-12 : 2e-6;
    it(`${precision}: prediction uses the moving statistics`, async () => {
      const { net, p, r } = await setup(precision);
      const size = shape.reduce((a, b) => a * b);
      const xs = random(r, size * 3, -2, 2);
      const expected = reference(xs, 3, C, p).predicting;
      const got = net.predictBatch(xs, 3);
      for (let i = 0; i < expected.length; i++) expect(Math.abs(got[i] - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
    });

    it(`${precision}: training normalises with the batch's mean and biased variance (mse against zero targets)`, async () => {
      const { net, p, r } = await setup(precision);
      for (const n of [1, 2, 5]) {
        const size = shape.reduce((a, b) => a * b);
        const xs = random(r, size * n, -2, 2);
        const y = reference(xs, n, C, p).training;
        // mse: the mean over the outputs of each sample, then over the batch
        const expected = y.reduce((s, v) => s + v * v, 0) / y.length;
        const loss = net.computeGradients(xs, new (precision === "f64" ? Float64Array : Float32Array)(size * n), n);
        expect(Math.abs(loss - expected)).toBeLessThanOrEqual(10 * tol * (1 + expected));
        // evaluate is in prediction mode: the moving statistics
        const moving = reference(xs, n, C, p).predicting;
        const evaluated = net.evaluate(xs, new (precision === "f64" ? Float64Array : Float32Array)(size * n), n).loss;
        expect(Math.abs(evaluated - moving.reduce((s, v) => s + v * v, 0) / moving.length)).toBeLessThanOrEqual(10 * tol * (1 + evaluated));
      }
    });
  }

  it("a batch of one [c] vector has variance 0: the output is beta", async () => {
    const mod = await loadModel(model("[4]", "batchnorm"), { precision: "f64", target });
    const net = new mod.M({ seed: 1 });
    setByName(net, { "y.beta": [1, 2, 3, 4], "y.gamma": [5, 6, 7, 8] });
    const loss = net.computeGradients([0.3, -2, 7, 1], new Float64Array([1, 2, 3, 4]), 1);
    expect(loss).toBeCloseTo(0, 5); // y = beta = the targets, up to sqrt(epsilon) effects of a zero deviation
    net.trainBatch([0.3, -2, 7, 1], new Float64Array(4), 1);
    const w = Object.fromEntries(net.getWeights().map((e: any) => [e.name, Array.from(e.data)]));
    expect(w["y.moving_variance"]).toEqual([0.99, 0.99, 0.99, 0.99].map((v) => expect.closeTo(v, 12)));
  });
});

for (const target of targets)
describe(`batchnorm: the state (--target ${target})`, () => {
  const src = (optimizer: string) => `model M {
    input x: [3, 3, 2]
    f = x |> conv2d(4, kernel: 2) |> batchnorm(momentum: 0.9) |> relu
    y = f |> flatten |> dense(3) |> batchnorm(center: false)
    train { loss mse(y) optimizer ${optimizer} }
  }`;

  it("names, order and shapes: gamma, beta, moving_mean, moving_variance; center/scale drop beta/gamma; paramCount counts the state", async () => {
    const mod = await loadModel(src("sgd(lr: 0.1)"), { precision: "f64", target });
    expect(mod.M.parameters.map((p: any) => p.name)).toEqual([
      "f.conv2d1.kernel", "f.conv2d1.bias",
      "f.batchnorm1.gamma", "f.batchnorm1.beta", "f.batchnorm1.moving_mean", "f.batchnorm1.moving_variance",
      "y.dense1.kernel", "y.dense1.bias",
      "y.batchnorm1.gamma", "y.batchnorm1.moving_mean", "y.batchnorm1.moving_variance",
    ]);
    expect(mod.M.paramCount).toBe(2 * 2 * 2 * 4 + 4 + 4 * 4 + 16 * 3 + 3 + 3 * 3);
    const net = new mod.M({ seed: 2 });
    const w = Object.fromEntries(net.getWeights().map((e: any) => [e.name, Array.from(e.data)]));
    expect(w["f.batchnorm1.gamma"]).toEqual([1, 1, 1, 1]);
    expect(w["f.batchnorm1.beta"]).toEqual([0, 0, 0, 0]);
    expect(w["f.batchnorm1.moving_mean"]).toEqual([0, 0, 0, 0]);
    expect(w["f.batchnorm1.moving_variance"]).toEqual([1, 1, 1, 1]);
    const scaleOnly = await loadModel(model("[3]", "batchnorm(scale: false)"), { target });
    expect(scaleOnly.M.parameters.map((p: any) => p.name)).toEqual(["y.beta", "y.moving_mean", "y.moving_variance"]);
  });

  for (const optimizer of ["sgd(lr: 0.1, momentum: 0.9, weight_decay: 0.1)", "adam(lr: 0.1, weight_decay: 0.1)"])
    it(`${optimizer.split("(")[0]}: computeGradients changes no state; trainBatch moves the state exactly as Keras, and only the state is not stepped`, async () => {
      const mod = await loadModel(src(optimizer), { precision: "f64", target });
      const net = new mod.M({ seed: 2 });
      const r = rng(3);
      const n = 4;
      const xs = random(r, n * 18, -1, 1);
      const ts = new Float64Array(random(r, n * 3, -1, 1));
      const before = net.getWeights();
      net.computeGradients(xs, ts, n);
      expect(net.getWeights()).toEqual(before);
      const grads = net.getGradients();
      expect(grads.map((g: any) => g.name)).toEqual(before.map((w: any) => w.name));
      for (const g of grads) if (g.name.includes("moving_")) expect(Array.from(g.data).every((v) => v === 0)).toBe(true);
      // the batch statistics of the first batch norm: its input is the conv's output, computed here
      const wk = Object.fromEntries(before.map((e: any) => [e.name, Array.from(e.data as Data)]));
      const conv = convOut(xs, n, wk["f.conv2d1.kernel"]!, wk["f.conv2d1.bias"]!);
      const stats = reference(conv, n, 4, { epsilon: 0.001 });
      for (let step = 1; step <= 3; step++) {
        const moving = Object.fromEntries(net.getWeights().map((e: any) => [e.name, Array.from(e.data as Data)]));
        const weights = net.getWeights();
        net.trainBatch(xs, ts, n);
        const after = Object.fromEntries(net.getWeights().map((e: any) => [e.name, Array.from(e.data as Data)]));
        if (step === 1)
          for (let c = 0; c < 4; c++) {
            expect(after["f.batchnorm1.moving_mean"]![c]).toBeCloseTo(moving["f.batchnorm1.moving_mean"]![c]! - (moving["f.batchnorm1.moving_mean"]![c]! - stats.mean[c]!) * (1 - 0.9), 12);
            expect(after["f.batchnorm1.moving_variance"]![c]).toBeCloseTo(moving["f.batchnorm1.moving_variance"]![c]! - (moving["f.batchnorm1.moving_variance"]![c]! - stats.variance[c]!) * (1 - 0.9), 12);
          }
        // every trainable tensor moved, with weight decay and momentum; the state only by the rule above
        for (const w of weights) if (!w.name.includes("moving_")) expect(after[w.name]).not.toEqual(Array.from(w.data));
      }
    });

  it("setWeights and saveWeights/loadWeights carry the state; predictions follow it", async () => {
    const mod = await loadModel(src("sgd(lr: 0.1)"), { target });
    const a = new mod.M({ seed: 1 });
    const r = rng(4);
    const xs = random(r, 5 * 18, -1, 1);
    for (let i = 0; i < 3; i++) a.trainBatch(xs, new Float32Array(random(r, 15, -1, 1)), 5);
    const b = new mod.M({ seed: 9 });
    b.loadWeights(a.saveWeights());
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(b.predictBatch(xs, 5)).toEqual(a.predictBatch(xs, 5));
    const c = new mod.M({ seed: 9 });
    c.predict(xs.slice(0, 18)); // folds c's own weights first: setWeights must make them stale
    c.setWeights(a.getWeights());
    expect(c.predictBatch(xs, 5)).toEqual(a.predictBatch(xs, 5));
  });
});

/** conv2d 2x2 valid, 4 filters, on [3, 3, 2] samples (the reference for the statistics test). */
function convOut(xs: number[], n: number, k: number[], bias: number[]): number[] {
  const out: number[] = [];
  for (let s = 0; s < n; s++)
    for (let oy = 0; oy < 2; oy++)
      for (let ox = 0; ox < 2; ox++)
        for (let f = 0; f < 4; f++) {
          let sum = bias[f]!;
          for (let ky = 0; ky < 2; ky++)
            for (let kx = 0; kx < 2; kx++)
              for (let ci = 0; ci < 2; ci++) sum += xs[s * 18 + ((oy + ky) * 3 + ox + kx) * 2 + ci]! * k[((ky * 2 + kx) * 2 + ci) * 4 + f]!;
          out.push(sum);
        }
  return out;
}

for (const target of targets)
describe(`batchnorm: layer-major training over batches of any size (--target ${target})`, () => {
  const src = `model M {
    input x: [6, 6, 1]
    f = x |> conv2d(3, kernel: 3, padding: same) |> batchnorm |> relu |> maxpool(2) |> dropout(0.25)
    y = f |> flatten |> dense(4) |> batchnorm
    train { loss softmax_cross_entropy(y) optimizer sgd(lr: 0.05, momentum: 0.9) }
  }`;

  it("batches of 1, 5, 2, then 32 after smaller ones: the same as a fresh model given the same steps; the weights survive the arena growing", async () => {
    const mod = await loadModel(src, { precision: "f64", target });
    const r = rng(8);
    const batches = [1, 5, 2, 32, 2].map((n) => ({ n, xs: random(r, n * 36, -1, 1), ts: new Int32Array(n).map(() => Math.floor(r() * 4)) }));
    const grown = new mod.M({ seed: 5 });
    for (const batch of batches) {
      const weights = grown.getWeights();
      const fresh = new mod.M({ seed: 5 });
      fresh.setWeights(weights);
      // the dropout stream too: both start from the same rng after the same number of steps
      (fresh as any).rng = (grown as any).rng;
      const expected = fresh.computeGradients(batch.xs, batch.ts, batch.n);
      const loss = grown.trainBatch(batch.xs, batch.ts, batch.n);
      expect(loss).toBe(expected);
      expect(grown.getGradients()).toEqual(fresh.getGradients());
      expect(Number.isFinite(loss)).toBe(true);
    }
    const before = grown.getWeights();
    grown.computeGradients(batches[3]!.xs, batches[3]!.ts, 32);
    expect(grown.getWeights()).toEqual(before);
  });
});

// With every kernel scalar (vectorKernels: false) the wasm target's kernels are the TypeScript
// target's f64 arithmetic (each store rounded to the arena's type), so a batch-norm model trains
// there bit for bit as on the TypeScript target (the f32x4 kernels of the default build are
// checked within float32 rounding by the tests above, which run on both targets), its memory growing with the batch: a frozen batch norm beside two training ones, a
// max pool (the index arena moves as the memory grows) and dropout (the rng stream).
describe("batchnorm on --target wasm: bit for bit as on the TypeScript target", () => {
  const src = (optimizer: string): string => `model M {
    input x: [6, 6, 2]
    f = x |> conv2d(4, kernel: 3, padding: same) |> batchnorm |> relu |> maxpool(2)
    g = f |> depthwise_conv2d(kernel: 2, padding: same) |> batchnorm(trainable: false) |> relu |> dropout(0.25)
    y = g |> flatten |> dense(3) |> batchnorm(momentum: 0.8)
    train { loss softmax_cross_entropy(y) optimizer ${optimizer} }
  }`;
  const optimizers = [
    "sgd(lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 0.01)",
    "adam(lr: 0.01, clip_norm: 1, schedule: cosine)",
    "adamw(lr: 0.01, schedule: step(every: 2))",
    "rmsprop(lr: 0.01, centered: true, momentum: 0.5)",
  ];
  const runs = [...optimizers.map((o) => ["f32", o] as const), ["f64", "sgd(lr: 0.05)"] as const];
  for (const [precision, optimizer] of runs)
    it(`${precision}, ${optimizer}: batches of 1, 5, 2, 32, fit, evaluate, predictBatch, and safetensors both ways`, async () => {
      const [T, W] = (await Promise.all([loadModel(src(optimizer), { precision }), loadModel(src(optimizer), { precision, target: "wasm", vectorKernels: false })])).map((m) => m.M);
      const [t, w] = [new T({ seed: 3 }), new W({ seed: 3 })];
      t.setTrainingHorizon(40);
      w.setTrainingHorizon(40);
      expect(w.getWeights()).toEqual(t.getWeights());
      const r = rng(9);
      const batch = (n: number) => ({ xs: new Float32Array(random(r, n * 72, -1, 1)), ts: new Int32Array(n).map(() => Math.floor(r() * 3)) });
      for (const n of [1, 5, 2, 32]) {
        const { xs, ts } = batch(n);
        expect(w.computeGradients(xs, ts, n)).toBe(t.computeGradients(xs, ts, n));
        expect(w.getGradients()).toEqual(t.getGradients());
        const loss = t.trainBatch(xs, ts, n);
        expect(Number.isFinite(loss)).toBe(true);
        expect(w.trainBatch(xs, ts, n)).toBe(loss);
        expect(w.getWeights()).toEqual(t.getWeights());
        expect(w.evaluate(xs, ts, n)).toEqual(t.evaluate(xs, ts, n));
        expect(w.predictBatch(xs, n)).toEqual(t.predictBatch(xs, n));
      }
      const { xs, ts } = batch(40);
      const strip = (h: { history: Record<string, number>[] }) => h.history.map(({ seconds: _s, samplesPerSecond: _p, ...rest }) => rest);
      expect(strip(w.fit(xs, ts, 40, { epochs: 2, batchSize: 16, seed: 2 }))).toEqual(strip(t.fit(xs, ts, 40, { epochs: 2, batchSize: 16, seed: 2 })));
      expect(w.getWeights()).toEqual(t.getWeights());
      // moving statistics moved (the frozen one's did not), and they travel in both directions
      const moving = (net: any, name: string) => Array.from(net.getWeights().find((x: any) => x.name === name).data as Data);
      expect(moving(w, "f.batchnorm1.moving_mean").some((v) => v !== 0)).toBe(true);
      expect(moving(w, "g.batchnorm1.moving_mean").every((v) => v === 0)).toBe(true);
      const fromWasm = new T({ seed: 8 });
      fromWasm.loadWeights(w.saveWeights());
      expect(fromWasm.getWeights()).toEqual(w.getWeights());
      const fromTs = new W({ seed: 8 });
      fromTs.loadWeights(t.saveWeights());
      expect(fromTs.predictBatch(xs, 40)).toEqual(t.predictBatch(xs, 40));
      // a fresh wasm instance (capacity 1) trains the largest batch first, as the grown one did
      const fresh = new W({ seed: 8 });
      fresh.setWeights(w.getWeights());
      (fresh as any).rng = (w as any).rng;
      expect(fresh.computeGradients(xs, ts, 40)).toBe(w.computeGradients(xs, ts, 40));
    });
});

describe("batchnorm: folded into the layer before it when predicting", () => {
  // The same layers with `dropout(0)` between each convolution (or dense) and its batch norm: a
  // prediction-time copy, so nothing is folded there and the batch norm runs as its own pass.
  const net = (gap: string) => `model M {
    input x: [7, 7, 2]
    f = x |> conv2d(4, kernel: 3, stride: 2, padding: same) ${gap} |> batchnorm |> relu
    g = f |> conv2d(3, kernel: 2, bias: false) ${gap} |> batchnorm(center: false, epsilon: 0.1)
    h = g |> depthwise_conv2d(kernel: 2, padding: same, depth_multiplier: 2) ${gap} |> batchnorm
    s = h |> separable_conv2d(3, kernel: 2, padding: same, bias: false) ${gap} |> batchnorm
    t = s |> conv2d_transpose(2, kernel: 3, stride: 2) ${gap} |> batchnorm(epsilon: 0.01)
    y = t |> flatten |> dense(5) ${gap} |> batchnorm(scale: false)
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`;

  for (const precision of ["f32", "f64"] as const)
    it(`${precision}: folded prediction equals the unfolded one within rounding`, async () => {
      const folded = await loadModel(net(""), { precision });
      const plain = await loadModel(net("|> dropout(0)"), { precision });
      const a = new folded.M({ seed: 3 });
      const b = new plain.M({ seed: 3 });
      const r = rng(12);
      // moving statistics and gamma/beta away from their start, so the fold has work to do
      const list = a.getWeights().map((w: any) => ({ ...w, data: w.data.map((v: number) => (w.name.includes("variance") ? 0.3 + 2 * r() : w.name.includes("kernel") ? v : r() * 2 - 1)) }));
      a.setWeights(list);
      b.setWeights(list.map((w: any, i: number) => ({ ...w, name: b.getWeights()[i].name })));
      const xs = random(r, 4 * 98, -1, 1);
      const fy = a.predictBatch(xs, 4);
      const py = b.predictBatch(xs, 4);
      const tol = precision === "f32" ? 1e-5 : 1e-12;
      for (let i = 0; i < py.length; i++) expect(Math.abs(fy[i] - py[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(py[i])));
      expect(Array.from(fy)).not.toEqual(Array.from(new Float64Array(fy.length)));
    });

  it("the prediction pass has no batch-norm pass once folded", async () => {
    const { compile } = await import("../src/index.js");
    const result = await compile(net(""), { format: false });
    const checked = result.code!;
    // runInfer calls the folded layers and leaves the batch norms out (their comments say so)
    const runInfer = checked.slice(checked.indexOf("private runInfer()"), checked.indexOf("private runTrain("));
    expect(runInfer.split("folded into the weights of the layer before it").length - 1).toBe(6);
    expect(runInfer.split("this.ifwd").length - 1).toBe(6);
  });
});

describe("batchnorm: prediction-mode gradients (statistics fixed)", () => {
  // A model without `train` trains nothing; the frozen path's kernels are the moving-statistics
  // forward and its affine backward, which a model sees when the batch norm is not on the loss's
  // path. Checked here by central differences of the prediction with respect to the input.
  it("predict's output moves with the input as gamma / sqrt(moving_variance + eps)", async () => {
    const mod = await loadModel(`model M {
      input x: [2, 2, 3]
      y = x |> batchnorm(epsilon: 0.01)
    }`, { precision: "f64" });
    const net = new mod.M({ seed: 1 });
    const r = rng(2);
    const gamma = random(r, 3, 0.5, 2);
    const variance = random(r, 3, 0.2, 2);
    setByName(net, { "y.gamma": gamma, "y.moving_variance": variance, "y.moving_mean": random(r, 3, -1, 1), "y.beta": random(r, 3, -1, 1) });
    const x = random(r, 12, -1, 1);
    for (let i = 0; i < 12; i++) {
      const plus = x.slice();
      plus[i]! += 1e-6;
      const minus = x.slice();
      minus[i]! -= 1e-6;
      const d = (net.predict(plus)[i] - net.predict(minus)[i]) / 2e-6;
      expect(d).toBeCloseTo(gamma[i % 3]! / Math.sqrt(variance[i % 3]! + 0.01), 6);
    }
  });
});

describe("batchnorm: a conv2d -> batchnorm -> relu -> maxpool -> ... -> dense net learns digits", () => {
  it("its loss decreases over a few MNIST batches", async () => {
    const mod = await loadModel(`model Digits {
      input image: [28, 28, 1]
      features = image
        |> conv2d(8, kernel: 3, padding: same) |> batchnorm |> relu |> maxpool(2)
        |> conv2d(8, kernel: 3) |> batchnorm |> relu |> maxpool(2)
      logits = features |> flatten |> dense(10)
      train { loss softmax_cross_entropy(logits) optimizer adam(lr: 0.01) }
    }`);
    const digits = firstDigits(loadAllDigits(), 320);
    const net = new mod.Digits({ seed: 1 });
    const batch = 32;
    const first = net.evaluate(digits.images, digits.labels, digits.n);
    for (let at = 0; at < digits.n; at += batch)
      net.trainBatch(digits.images.subarray(at * 784, (at + batch) * 784), digits.labels.subarray(at, at + batch), batch);
    // a second epoch through fit, in batches of 48 and a last one of 32
    const { history } = net.fit(digits.images, digits.labels, digits.n, { epochs: 1, batchSize: 48, seed: 2 });
    expect(history).toHaveLength(1);
    const last = net.evaluate(digits.images, digits.labels, digits.n);
    expect(last.loss).toBeLessThan(first.loss * 0.6);
    expect(last.accuracy).toBeGreaterThan(0.6);
  });
});

for (const target of targets)
describe(`batchnorm: frozen (\`trainable: false\`, --target ${target})`, () => {
  async function frozenModel(source: string) {
    const { compile } = await import("../src/index.js");
    const { importTypeScript } = await import("./helpers/load.js");
    const result = await compile(source, { precision: "f64", format: false, inputGradient: true, target });
    if (!result.code) throw new Error(JSON.stringify(result.diagnostics));
    return (await importTypeScript(result.code)).M;
  }
  const source = (bFrozen: boolean): string => `model M {
    input x: [3, 3, 2]
    f = x |> conv2d(3, kernel: 2) |> batchnorm(trainable: false) as a |> relu
    y = f |> flatten |> dense(4) |> batchnorm(trainable: ${!bFrozen}) as b
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`;

  for (const [what, bFrozen] of [["both frozen (sample by sample)", true], ["one frozen beside a training one (layer-major)", false]] as const)
    it(`${what}: normalises with the moving statistics in training, and never changes its parameters`, async () => {
      const M = await frozenModel(source(bFrozen));
      const net = new M({ seed: 4 });
      const r = rng(6);
      setByName(net, { "a.moving_mean": random(r, 3, -0.5, 0.5), "a.moving_variance": random(r, 3, 0.5, 2), "a.gamma": random(r, 3, 0.5, 1.5), "a.beta": random(r, 3, -0.5, 0.5) });
      const xs = random(r, 3 * 18, -1, 1);
      const ts = new Float64Array(random(r, 12, -1, 1));
      const isFrozen = (name: string): boolean => name.startsWith("a.") || (bFrozen && name.startsWith("b."));
      const frozenOf = (n: any) => n.getWeights().filter((w: any) => isFrozen(w.name)).map((w: any) => Array.from(w.data));
      const before = frozenOf(net);
      if (bFrozen) expect(net.computeGradients(xs, ts, 3)).toBeCloseTo(net.evaluate(xs, ts, 3).loss, 12);
      // a frozen layer has no gradients (getGradients gives zeros); every other gradient is right
      const result = gradcheck(net, new Float64Array(xs), ts as any, 3, 6);
      expect(result.mismatches.filter((m) => !isFrozen(m.what) && !m.what.includes(".moving_")).slice(0, 5)).toEqual([]);
      expect(result.mismatches.some((m) => m.what.startsWith("a.gamma"))).toBe(true);
      net.computeGradients(xs, ts, 3);
      for (const g of net.getGradients().filter((g: any) => isFrozen(g.name))) expect(Array.from(g.data).every((v) => v === 0)).toBe(true);
      net.trainBatch(xs, ts, 3);
      expect(frozenOf(net)).toEqual(before);
      const moved = net.getWeights().find((w: any) => w.name === "b.moving_mean").data;
      // the moving statistics of a training batch norm move; a frozen one's never
      expect(Array.from(moved).some((v) => v !== 0)).toBe(!bFrozen);
    });
});
