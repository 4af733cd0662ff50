// Forward values of every op against the independent nested-loop references in
// helpers/reference.ts, with random weights set through setWeights (Keras layouts), in both
// precisions; then the three losses and accuracy through evaluate().
//
// Compiling is the slow part (each class carries its own runtime members), so the op cases share a
// few models: each case is one branch `bK` off the model's input, and the model's output is the
// concat of every branch flattened. Each case is checked on its own slice of that output.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";
import { erfReference } from "./helpers/erf.js";
import * as ref from "./helpers/reference.js";

type Precision = "f32" | "f64";
type Data = Float32Array | Float64Array;
type WeightList = { name: string; shape: number[]; data: Data }[];

/** The weights a reference reads, by name. */
class Weights {
  constructor(private readonly list: WeightList) {}

  private get(name: string): { shape: number[]; data: Data } {
    const w = this.list.find((entry) => entry.name === name);
    if (!w) throw new Error(`no weight ${name}; have ${this.list.map((entry) => entry.name).join(", ")}`);
    return w;
  }

  conv(name: string): ref.ConvKernel {
    const { shape, data } = this.get(name);
    return ref.toConvKernel(data, shape[0]!, shape[1]!, shape[2]!, shape[3]!);
  }

  vec(name: string): number[] {
    return Array.from(this.get(name).data);
  }

  units(name: string): number {
    return this.get(name).shape[1]!;
  }
}

const convOf = (w: Weights, layer: string, o: ref.ConvOptions, bias = true) => (x: ref.Image) =>
  ref.conv2d(x, w.conv(`${layer}.kernel`), bias ? w.vec(`${layer}.bias`) : null, o);
const denseOf = (w: Weights, layer: string, bias = true) => (x: number[]) =>
  ref.dense(x, w.vec(`${layer}.kernel`), bias ? w.vec(`${layer}.bias`) : null, w.units(`${layer}.kernel`));
const pair = (v: number | ref.Pair): ref.Pair => (typeof v === "number" ? [v, v] : v);
const shapeText = (shape: readonly number[]): string => `[${shape.join(", ")}]`;
const unit = { stride: [1, 1], dilation: [1, 1] } as const;

/** The input shape each group of cases shares. */
const groups = { Image: [7, 6, 2], Grid: [8, 8, 1], Vector: [6] } as const;
type Group = keyof typeof groups;

interface Case {
  readonly name: string;
  readonly group: Group;
  /** the statements that bind `p` (the branch name) from the input `x` */
  readonly bind: (p: string) => string;
  /** the branch's values for one sample; `p` prefixes its parameter names */
  readonly reference: (x: number[], w: Weights, p: string) => number[];
}

const cases: Case[] = [];

/** A case on an image input whose branch is `x |> pipeline`. */
function imageCase(name: string, group: "Image" | "Grid", pipeline: string, f: (x: ref.Image, w: Weights, p: string) => ref.Image | number[]): void {
  const [h, w, c] = groups[group];
  cases.push({
    name,
    group,
    bind: (p) => `${p} = x |> ${pipeline}`,
    reference: (x, weights, p) => {
      const y = f(ref.toImage(x, h, w, c), weights, p);
      return typeof y[0] === "number" ? (y as number[]) : ref.flattenImage(y as ref.Image);
    },
  });
}

/** A case on the vector input whose branch is `x |> pipeline`. */
function vectorCase(name: string, pipeline: string, f: (x: number[], w: Weights, p: string) => number[]): void {
  cases.push({ name, group: "Vector", bind: (p) => `${p} = x |> ${pipeline}`, reference: f });
}

// conv2d: every stride, padding, dilation and kernel shape, in a covering set rather than the
// full product; gradcheck.test.ts sweeps the full product.
const convSweep: [number, ref.PaddingSpec, number, "3" | "[2, 3]"][] = [
  [1, "valid", 1, "3"],
  [1, "same", 2, "[2, 3]"],
  [1, "same", 1, "[2, 3]"],
  [1, 1, 2, "3"],
  [2, "valid", 2, "[2, 3]"],
  [2, "same", 1, "3"],
  [2, 1, 1, "[2, 3]"],
  [3, "valid", 1, "[2, 3]"],
  [3, "same", 2, "3"],
  [3, "same", 1, "[2, 3]"],
  [3, 1, 2, "[2, 3]"],
];
for (const [stride, padding, dilation, kernel] of convSweep)
  imageCase(
    `conv2d k=${kernel} s=${stride} p=${padding} d=${dilation}`,
    kernel === "3" ? "Image" : "Grid",
    `conv2d(3, kernel: ${kernel}, stride: ${stride}, padding: ${padding}, dilation: ${dilation})`,
    (x, w, p) => convOf(w, p, { stride: pair(stride), dilation: pair(dilation), padding })(x),
  );
imageCase("conv2d without bias, kernel [3, 2]", "Image", "conv2d(2, kernel: [3, 2], bias: false)", (x, w, p) =>
  convOf(w, p, { ...unit, padding: "valid" }, false)(x),
);
imageCase("conv2d 1x1 without bias", "Image", "conv2d(2, kernel: 1, bias: false)", (x, w, p) => convOf(w, p, { ...unit, padding: "valid" }, false)(x));
imageCase("conv2d stride [1, 2], 9x9 window, same", "Grid", "conv2d(2, kernel: 9, stride: [1, 2], padding: same)", (x, w, p) =>
  convOf(w, p, { stride: [1, 2], dilation: [1, 1], padding: "same" })(x),
);
imageCase("conv2d padding 2, stride 2, kernel [3, 2]", "Image", "conv2d(4, kernel: [3, 2], stride: 2, padding: 2)", (x, w, p) =>
  convOf(w, p, { stride: [2, 2], dilation: [1, 1], padding: 2 })(x),
);
imageCase("conv2d dilation [2, 1], same", "Image", "conv2d(2, kernel: 3, dilation: [2, 1], padding: same)", (x, w, p) =>
  convOf(w, p, { stride: [1, 1], dilation: [2, 1], padding: "same" })(x),
);

// Pools: every stride and padding once per op, the window size rotating through 2, [2, 3] and 3.
const poolSweep: [number, ref.PaddingSpec, number | ref.Pair][] = [
  [1, "valid", 2],
  [1, "same", [2, 3]],
  [1, 1, 3],
  [2, "valid", [2, 3]],
  [2, "same", 3],
  [2, 1, 2],
  [3, "valid", 3],
  [3, "same", 2],
  [3, 1, [2, 3]],
];
for (const op of ["maxpool", "avgpool"] as const)
  for (const [stride, padding, size] of poolSweep) {
    const sizeText = typeof size === "number" ? String(size) : shapeText(size);
    imageCase(`${op} size=${sizeText} s=${stride} p=${padding}`, size === 3 ? "Grid" : "Image", `${op}(${sizeText}, stride: ${stride}, padding: ${padding})`, (x) =>
      ref.pool(x, op === "maxpool" ? "max" : "avg", { size: pair(size), stride: pair(stride), padding }),
    );
  }
imageCase("maxpool default stride = size (floor)", "Image", "maxpool(2)", (x) => ref.pool(x, "max", { size: [2, 2], stride: [2, 2], padding: "valid" }));
imageCase("avgpool [3, 2] default stride, same", "Image", "avgpool([3, 2], padding: same)", (x) =>
  ref.pool(x, "avg", { size: [3, 2], stride: [3, 2], padding: "same" }),
);
imageCase("global_avgpool", "Image", "global_avgpool", (x) => ref.globalPool(x, "avg"));
imageCase("global_maxpool", "Grid", "global_maxpool", (x) => ref.globalPool(x, "max"));

// flatten is row-major over [h, w, c]; dense kernels are [in, units].
imageCase("flatten", "Image", "flatten", (x) => ref.flattenImage(x));
imageCase("flatten into dense", "Image", "flatten |> dense(5)", (x, w, p) => denseOf(w, p)(ref.flattenImage(x)));
vectorCase("dense with bias", "dense(4)", (x, w, p) => denseOf(w, p)(x));
vectorCase("dense without bias", "dense(3, bias: false)", (x, w, p) => denseOf(w, p, false)(x));

// Activations standalone, and each fused into the conv2d or dense before it (alternating).
const activations: [string, (v: number) => number][] = [
  ["relu", ref.relu],
  ["sigmoid", ref.sigmoid],
  ["tanh", ref.tanh],
  ["leaky_relu", ref.leakyRelu(0.01)],
  ["leaky_relu(alpha: 0.3)", ref.leakyRelu(0.3)],
  // the second wave's, from LANGUAGE.md's formulas (erf from the 90-digit reference)
  ["relu6", (v) => Math.min(Math.max(v, 0), 6)],
  ["elu", (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ["elu(alpha: 0.4)", (v) => (v > 0 ? v : 0.4 * (Math.exp(v) - 1))],
  ["selu", (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
  ["gelu", (v) => 0.5 * v * (1 + erfReference(v / Math.SQRT2))],
  ["gelu(approximate: true)", (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ["silu", (v) => v / (1 + Math.exp(-v))],
  ["swish", (v) => v / (1 + Math.exp(-v))],
  ["hard_sigmoid", (v) => Math.min(Math.max(v / 6 + 0.5, 0), 1)],
  ["hard_swish", (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
  ["softplus", (v) => Math.log(1 + Math.exp(v))],
];
activations.forEach(([act, f], k) => {
  imageCase(`${act} standalone`, "Image", act, (x) => ref.mapImage(x, f));
  if (k % 2 === 0)
    imageCase(`conv2d fused with ${act}`, "Image", `conv2d(3, kernel: 3, padding: same) |> ${act}`, (x, w, p) =>
      ref.mapImage(convOf(w, p, { ...unit, padding: "same" })(x), f),
    );
  else vectorCase(`dense fused with ${act}`, `dense(5) |> ${act}`, (x, w, p) => denseOf(w, p)(x).map(f));
});
// The same, on inputs summed eight times, so each reaches its far pieces (relu6's 6, the hard
// ramps' ends, the erf past its series).
for (const [act, f] of activations.slice(5))
  cases.push({
    name: `${act} on [-8, 8]`,
    group: "Image",
    bind: (p) => `${p} = add(x, x, x, x, x, x, x, x) |> ${act}`,
    reference: (x) => x.map((v) => f(8 * v)),
  });
imageCase("softmax over the channel axis of an image", "Image", "softmax", (x) => ref.softmaxImage(x));
vectorCase("softmax of a vector", "softmax", (x) => ref.softmax(x));
vectorCase("dense then softmax", "dense(4) |> softmax", (x, w, p) => ref.softmax(denseOf(w, p)(x)));

// Dropout is the identity when predicting.
imageCase("dropout standalone", "Image", "dropout(0.5)", (x) => x);
vectorCase("dense, dropout, dense", "dense(8) |> dropout(rate: 0.25) |> dense(3)", (x, w, p) => denseOf(w, `${p}.dense2`)(denseOf(w, `${p}.dense1`)(x)));

cases.push({
  name: "add of three, one tensor used twice",
  group: "Image",
  bind: (p) => `${p}a = x |> conv2d(3, kernel: 3, padding: same)
    ${p}b = ${p}a |> relu |> conv2d(3, kernel: 1)
    ${p} = add(${p}a, ${p}b, ${p}a)`,
  reference: (x, w, p) => {
    const a = convOf(w, `${p}a`, { ...unit, padding: "same" })(ref.toImage(x, 7, 6, 2));
    const b = convOf(w, `${p}b`, { ...unit, padding: "valid" })(ref.mapImage(a, ref.relu));
    return ref.flattenImage(ref.addImages(a, b, a));
  },
});
cases.push({
  name: "concat of three branches on the channel axis",
  group: "Image",
  bind: (p) => `${p}a = x |> conv2d(1, kernel: 1)
    ${p}b = x |> conv2d(3, kernel: 3, padding: same) |> tanh
    ${p} = concat(${p}a, ${p}b, x)`,
  reference: (x, w, p) => {
    const image = ref.toImage(x, 7, 6, 2);
    const a = convOf(w, `${p}a`, { ...unit, padding: "valid" })(image);
    const b = ref.mapImage(convOf(w, `${p}b`, { ...unit, padding: "same" })(image), ref.tanh);
    return ref.flattenImage(ref.concatImages(a, b, image));
  },
});
vectorCase("concat of vectors", "dense(3) |> concat(x)", (x, w, p) => [...denseOf(w, p)(x), ...x]);

const groupNames = Object.keys(groups) as Group[];
const branch = (k: number): string => `b${k}`;

/** One model per group: every case a branch, the output their flattened concat. */
function groupModel(group: Group): string {
  const members = cases.map((c, k) => ({ c, k })).filter(({ c }) => c.group === group);
  const branches = members.map(({ c, k }) => `${c.bind(branch(k))}\n  f${k} = ${branch(k)} |> flatten`);
  return `model ${group} {
  input x: ${shapeText(groups[group])}
  ${branches.join("\n  ")}
  y = concat(${members.map(({ k }) => `f${k}`).join(", ")})
}`;
}

/** Random weights in [-1, 1) for every parameter, so biases are not the zeros of initialisation. */
function randomizeWeights(net: any, Typed: typeof Float32Array | typeof Float64Array, seed: number): WeightList {
  const r = rng(seed);
  const list: WeightList = net.getWeights().map((w: { name: string; shape: number[]; data: Data }) => ({
    name: w.name,
    shape: w.shape,
    data: new Typed(Array.from(w.data, () => r() * 2 - 1)),
  }));
  net.setWeights(list);
  return net.getWeights();
}

function randomInputs(size: number, Typed: typeof Float32Array | typeof Float64Array, seed: number): Data {
  const r = rng(seed);
  return new Typed(Array.from({ length: size }, () => r() * 4 - 2));
}

/** |actual - expected| within tol relative to max(1, |expected|); lists the first misses. */
function misses(actual: ArrayLike<number>, expected: readonly number[], tol: number): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`length ${actual.length}, expected ${expected.length}`];
  for (let i = 0; i < expected.length && out.length < 5; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) out.push(`[${i}] got ${a}, expected ${e}`);
  }
  return out;
}

const tolerance: Record<Precision, number> = { f64: 1e-12, f32: 1e-5 };
const samples = 3;

/** What one group's model produced: predict of sample 0 and predictBatch of all samples. */
interface GroupRun {
  readonly Model: any;
  readonly single: Data;
  readonly batch: Data;
  readonly weights: Weights;
  readonly inputs: number[][];
}

function runGroup(Model: any, precision: Precision, seed: number, randomize = true): GroupRun {
  const Typed = precision === "f64" ? Float64Array : Float32Array;
  const net = new Model({ seed });
  const weights = new Weights(randomize ? randomizeWeights(net, Typed, seed) : net.getWeights());
  const xs = randomInputs(samples * Model.inputSize, Typed, seed + 1);
  const inputs = [...Array(samples).keys()].map((s) => Array.from(xs.subarray(s * Model.inputSize, (s + 1) * Model.inputSize)));
  return { Model, single: net.predict(xs.subarray(0, Model.inputSize)), batch: net.predictBatch(xs, samples), weights, inputs };
}

/** Where each case's values start in its group's output: branches are concatenated in order. */
function offsets(runs: Record<Group, GroupRun>): number[] {
  const next: Record<Group, number> = { Image: 0, Grid: 0, Vector: 0 };
  return cases.map((c, k) => {
    const at = next[c.group];
    next[c.group] += c.reference(runs[c.group].inputs[0]!, runs[c.group].weights, branch(k)).length;
    return at;
  });
}

const lossSource = `
model Classifier {
  input x: [6]
  logits = x |> dense(4)
  output probs = logits |> softmax
  train { loss softmax_cross_entropy(logits) optimizer sgd(lr: 0.1) }
}
model Regressor {
  input x: [3, 3, 2]
  y = x |> conv2d(2, kernel: 2)
  train { loss mse(y) optimizer sgd(lr: 0.1) }
}
model Tagger {
  input x: [5]
  z = x |> dense(3)
  output p = z |> sigmoid
  train { loss binary_cross_entropy(p) optimizer sgd(lr: 0.1) }
}
model Smoothed {
  input x: [6]
  logits = x |> dense(4)
  train { loss softmax_cross_entropy(logits, label_smoothing: 0.2) optimizer sgd(lr: 0.1) }
}
model Absolute {
  input x: [3, 3, 2]
  y = x |> conv2d(2, kernel: 2)
  train { loss mae(y) optimizer sgd(lr: 0.1) }
}
model Huber {
  input x: [3, 3, 2]
  y = x |> conv2d(2, kernel: 2)
  train { loss huber(y, delta: 0.4) optimizer sgd(lr: 0.1) }
}
`;

const lenetSource = readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8");

/** The f64 build also holds LeNet and the loss models, so each precision compiles once. */
const compiled: Partial<Record<Precision, Promise<Record<string, any>>>> = {};
function compileFor(precision: Precision): Promise<Record<string, any>> {
  const extra = precision === "f64" ? [lenetSource, lossSource] : [];
  compiled[precision] ??= loadModel([...groupNames.map(groupModel), ...extra].join("\n\n"), { precision, path: "forward.cnn", format: false });
  return compiled[precision];
}

for (const precision of ["f64", "f32"] as const) {
  describe(`forward values of every op against nested-loop references (${precision})`, () => {
    let runs: Record<Group, GroupRun>;
    let starts: number[];
    beforeAll(async () => {
      const mod = await compileFor(precision);
      runs = Object.fromEntries(groupNames.map((g, i) => [g, runGroup(mod[g], precision, 31 + i)])) as Record<Group, GroupRun>;
      starts = offsets(runs);
    }, 120_000);

    it("each group's output is exactly its branches, end to end", () => {
      for (const g of groupNames) {
        const total = cases.reduce((sum, c, k) => (c.group === g ? sum + c.reference(runs[g].inputs[0]!, runs[g].weights, branch(k)).length : sum), 0);
        expect(runs[g].Model.outputSize, g).toBe(total);
      }
    });

    it.each(cases.map((c, k) => [c.name, k] as const))("%s", (_, k) => {
      const c = cases[k]!;
      const run = runs[c.group];
      const size = run.Model.outputSize;
      for (let s = 0; s < samples; s++) {
        const expected = c.reference(run.inputs[s]!, run.weights, branch(k));
        const at = starts[k]!;
        expect(misses(run.batch.subarray(s * size + at, s * size + at + expected.length), expected, tolerance[precision]), `predictBatch sample ${s}`).toEqual([]);
        if (s === 0) expect(misses(run.single.subarray(at, at + expected.length), expected, tolerance[precision]), "predict").toEqual([]);
      }
    });
  });
}

// ---- a whole example network, and the losses and accuracy through evaluate() ----

describe("a whole network, the losses and accuracy (f64)", () => {
  let mod: Record<string, any>;
  beforeAll(async () => {
    mod = await compileFor("f64");
  }, 120_000);

  const n = 6;
  const sampleOf = (Model: any, xs: Data, s: number): number[] => Array.from(xs.subarray(s * Model.inputSize, (s + 1) * Model.inputSize));
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const closeTo = (actual: number, expected: number): void => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

  it("LeNet: conv, relu, pool, flatten, dense and softmax, read through the spec's parameter names", () => {
    // Glorot initialisation keeps the logits moderate; uniform [-1, 1) weights would saturate softmax.
    const run = runGroup(mod.LeNet, "f64", 5, false);
    const halve = { size: [2, 2], stride: [2, 2], padding: "valid" } as const;
    const reference = (x: number[]): number[] => {
      const w = run.weights;
      let f = ref.mapImage(convOf(w, "features.conv2d1", { ...unit, padding: "same" })(ref.toImage(x, 28, 28, 1)), ref.relu);
      f = ref.pool(f, "max", halve);
      f = ref.pool(ref.mapImage(convOf(w, "features.conv2d2", { ...unit, padding: "valid" })(f), ref.relu), "max", halve);
      let v = denseOf(w, "logits.dense1")(ref.flattenImage(f)).map(ref.relu);
      v = denseOf(w, "logits.dense2")(v).map(ref.relu);
      return ref.softmax(denseOf(w, "logits.dense3")(v));
    };
    expect(misses(run.single, reference(run.inputs[0]!), 1e-12)).toEqual([]);
    expect(misses(run.batch, run.inputs.flatMap(reference), 1e-12)).toEqual([]);
  });

  it("softmax_cross_entropy with class labels, and accuracy", () => {
    const Model = mod.Classifier;
    const net = new Model({ seed: 3 });
    const w = new Weights(randomizeWeights(net, Float64Array, 3));
    const xs = randomInputs(n * Model.inputSize, Float64Array, 4);
    const logits = [...Array(n).keys()].map((s) => denseOf(w, "logits")(sampleOf(Model, xs, s)));
    // Half the labels agree with the reference's argmax and half do not, so accuracy is 1/2.
    const labels = Int32Array.from(logits, (z, s) => (s % 2 === 0 ? ref.argmax(z) : (ref.argmax(z) + 1) % 4));
    const hits = logits.filter((z, s) => ref.argmax(z) === labels[s]).length;
    const result = net.evaluate(xs, labels, n);
    closeTo(result.loss, mean(logits.map((z, s) => ref.crossEntropyLabel(z, labels[s]!))));
    expect(hits).toBe(n / 2);
    expect(result.accuracy).toBe(hits / n);
  });

  it("softmax_cross_entropy with one-hot targets, and accuracy", () => {
    const Model = mod.Classifier;
    const net = new Model({ seed: 3 });
    const w = new Weights(randomizeWeights(net, Float64Array, 5));
    const xs = randomInputs(n * Model.inputSize, Float64Array, 6);
    const logits = [...Array(n).keys()].map((s) => denseOf(w, "logits")(sampleOf(Model, xs, s)));
    const labels = logits.map((_, s) => s % 4);
    const targets = labels.map((label) => [0, 1, 2, 3].map((j) => (j === label ? 1 : 0)));
    const result = net.evaluate(xs, Float64Array.from(targets.flat()), n);
    closeTo(result.loss, mean(logits.map((z, s) => ref.crossEntropyTarget(z, targets[s]!))));
    expect(result.accuracy).toBe(logits.filter((z, s) => ref.argmax(z) === labels[s]).length / n);
    closeTo(net.evaluate(xs, Int32Array.from(labels), n).loss, result.loss);
  });

  it("mse: the mean over elements and samples of the squared error", () => {
    const Model = mod.Regressor;
    const net = new Model({ seed: 8 });
    const w = new Weights(randomizeWeights(net, Float64Array, 8));
    const xs = randomInputs(n * Model.inputSize, Float64Array, 9);
    const targets = randomInputs(n * Model.outputSize, Float64Array, 10);
    const conv = convOf(w, "y", { ...unit, padding: "valid" });
    const perSample = [...Array(n).keys()].map((s) =>
      ref.meanSquaredError(ref.flattenImage(conv(ref.toImage(sampleOf(Model, xs, s), 3, 3, 2))), Array.from(targets.subarray(s * 8, (s + 1) * 8))),
    );
    const result = net.evaluate(xs, targets, n);
    closeTo(result.loss, mean(perSample));
    expect(result.accuracy).toBeUndefined();
  });

  it("softmax_cross_entropy with label_smoothing: the smoothed targets, from labels and one-hot alike", () => {
    const Model = mod.Smoothed;
    const net = new Model({ seed: 3 });
    const w = new Weights(randomizeWeights(net, Float64Array, 15));
    const xs = randomInputs(n * Model.inputSize, Float64Array, 16);
    const logits = [...Array(n).keys()].map((s) => denseOf(w, "logits")(sampleOf(Model, xs, s)));
    const labels = logits.map((_, s) => s % 4);
    // (1 - 0.2) y + 0.2 / 4: the one-hot target smoothed, as LANGUAGE.md defines it
    const smoothed = labels.map((label) => [0, 1, 2, 3].map((j) => 0.8 * (j === label ? 1 : 0) + 0.05));
    const expected = mean(logits.map((z, s) => ref.crossEntropyTarget(z, smoothed[s]!)));
    const oneHot = Float64Array.from(labels.flatMap((label) => [0, 1, 2, 3].map((j) => (j === label ? 1 : 0))));
    closeTo(net.evaluate(xs, oneHot, n).loss, expected);
    closeTo(net.evaluate(xs, Int32Array.from(labels), n).loss, expected);
    // computeGradients reports the same loss as evaluate
    closeTo(net.computeGradients(xs, Int32Array.from(labels), n), expected);
    expect(net.evaluate(xs, Int32Array.from(labels), n).accuracy).toBe(logits.filter((z, s) => ref.argmax(z) === labels[s]).length / n);
  });

  for (const [model, perElement] of [
    ["Absolute", (e: number) => Math.abs(e)],
    ["Huber", (e: number) => (Math.abs(e) <= 0.4 ? 0.5 * e * e : 0.4 * (Math.abs(e) - 0.2))],
  ] as const)
    it(`${model === "Absolute" ? "mae" : "huber(delta: 0.4)"}: the mean over elements and samples`, () => {
      const Model = mod[model];
      const net = new Model({ seed: 8 });
      const w = new Weights(randomizeWeights(net, Float64Array, 8));
      const xs = randomInputs(n * Model.inputSize, Float64Array, 9);
      const targets = randomInputs(n * Model.outputSize, Float64Array, 10);
      const conv = convOf(w, "y", { ...unit, padding: "valid" });
      const errors = [...Array(n).keys()].flatMap((s) => {
        const y = ref.flattenImage(conv(ref.toImage(sampleOf(Model, xs, s), 3, 3, 2)));
        return y.map((v, j) => v - targets[s * 8 + j]!);
      });
      // both of huber's pieces are reached
      if (model === "Huber") expect(errors.some((e) => Math.abs(e) <= 0.4) && errors.some((e) => Math.abs(e) > 0.4)).toBe(true);
      const result = net.evaluate(xs, targets, n);
      closeTo(result.loss, mean(errors.map(perElement)));
      expect(result.accuracy).toBeUndefined();
    });

  it("binary_cross_entropy on a sigmoid output, and binary accuracy", () => {
    const Model = mod.Tagger;
    const net = new Model({ seed: 12 });
    const w = new Weights(randomizeWeights(net, Float64Array, 12));
    const xs = randomInputs(n * Model.inputSize, Float64Array, 13);
    const r = rng(14);
    const targets = Float64Array.from({ length: n * 3 }, () => (r() < 0.5 ? 0 : 1));
    const tOf = (s: number): number[] => Array.from(targets.subarray(s * 3, (s + 1) * 3));
    const probs = [...Array(n).keys()].map((s) => denseOf(w, "z")(sampleOf(Model, xs, s)).map(ref.sigmoid));
    const result = net.evaluate(xs, targets, n);
    closeTo(result.loss, mean(probs.map((p, s) => ref.binaryCrossEntropy(p, tOf(s)))));
    closeTo(result.accuracy, mean(probs.map((p, s) => p.filter((v, j) => v > 0.5 === tOf(s)[j]! > 0.5).length / 3)));
    // predict gives the sigmoid itself, the tensor the loss is declared on.
    expect(misses(net.predict(xs.subarray(0, 5)), probs[0]!, 1e-12)).toEqual([]);
  });
});
