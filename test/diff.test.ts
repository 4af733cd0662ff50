// Differential testing against TensorFlow.js (issue 5, sections 1 and 2): random shape-valid
// networks, compiled by cnnc and built in tfjs-layers with the same weights, must agree on
// shapes, outputs, loss, gradients and three steps of each optimizer.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { opNames } from "../src/ops/index.js";
import { compareArrays, ErrorTable, float32Tolerance } from "./diff/compare.js";
import { generateNetwork } from "./diff/generate.js";
import { limits } from "./diff/generate-ops.js";
import { layersOf, type Binding, type MergeCall, type Network, type UnaryCall } from "./diff/network.js";
import { inertParams } from "./diff/inert.js";
import { runCase } from "./diff/oracle.js";
import { printNetwork } from "./diff/print.js";
import { caseSeeds, fuzzCount, fuzzTarget, readableCount, replayHint, wasmCount } from "./diff/settings.js";
import { networkShapes, product, sameDims, windowOutput } from "./diff/shapes.js";
import { buildTfjs } from "./diff/tfjs-model.js";
import { lossOf } from "./diff/tfjs-run.js";
import { expandedShape, expandKernel, readTaps } from "./diff/dilation.js";
import { ExactSameAvgPool } from "./diff/avgpool.js";

const seeds = caseSeeds();
const networks = seeds.map(generateNetwork);

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("the harness itself", () => {
  it("uses TensorFlow's output size rules", () => {
    // LeNet's 5x5 valid conv on 28, a same conv with stride 2 on 5, a dilated kernel on 7
    expect(windowOutput(28, 5, 1, 1, "valid")).toBe(24);
    expect(windowOutput(5, 3, 2, 1, "same")).toBe(3);
    expect(windowOutput(7, 3, 1, 2, "valid")).toBe(3);
    expect(windowOutput(4, 3, 2, 1, 1)).toBe(2);
  });

  it("computes each loss as tfjs' own loss functions do", () => {
    const logits = tf.tensor2d([
      [1, -2, 0.5],
      [0.1, 0.2, -3],
    ]);
    const onehot = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const value = (x: tf.Tensor): number => x.dataSync()[0]!;
    expect(value(lossOf("softmax_cross_entropy", logits, onehot))).toBeCloseTo(value(tf.losses.softmaxCrossEntropy(onehot, logits)), 5);
    expect(value(lossOf("mse", logits, onehot))).toBeCloseTo(value(tf.losses.meanSquaredError(onehot, logits)), 5);
    expect(value(lossOf("binary_cross_entropy", logits, onehot))).toBeCloseTo(value(tf.losses.sigmoidCrossEntropy(onehot, logits)), 5);
    // finite where the sigmoid saturates: log(1 + e^-200) + 0 for a right answer, 200 for a wrong one
    expect(value(lossOf("binary_cross_entropy", tf.tensor2d([[200, -200]]), tf.tensor2d([[1, 1]])))).toBeCloseTo(100, 3);
  });

  it("emulates a dilated conv by an undilated one with zeros between the taps", () => {
    const taps = { dilation: 2, shape: [2, 3, 2, 2] as const };
    const kernel = Float32Array.from({ length: 24 }, (_, i) => Math.sin(i + 1));
    expect(Array.from(readTaps(expandKernel(kernel, taps), taps))).toEqual(Array.from(kernel));
    const x = tf.tensor4d(
      Array.from({ length: 2 * 7 * 8 * 2 }, (_, i) => Math.cos(i)),
      [2, 7, 8, 2],
    );
    const dilated = tf.conv2d(x, tf.tensor4d(kernel, [2, 3, 2, 2]), 1, "same", "NHWC", 2);
    const expanded = tf.conv2d(x, tf.tensor4d(expandKernel(kernel, taps), expandedShape(taps)), 1, "same");
    expect(compareArrays(expanded.dataSync(), dilated.dataSync(), float32Tolerance).ratio).toBeLessThanOrEqual(1);
  });

  it("works around tfjs' avgPool gradient with same padding, which ignores the uncounted border cells", () => {
    // a 3x3 input, 2x2 windows, stride 2, `same`: the windows hold 4, 2, 2 and 1 real cells
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const exact = new ExactSameAvgPool([2, 2], [2, 2]);
    const viaLayer = (t: tf.Tensor): tf.Scalar => tf.sum(exact.apply(t) as tf.Tensor);
    const viaTfjs = (t: tf.Tensor): tf.Scalar => tf.sum(tf.avgPool(t as tf.Tensor4D, 2, 2, "same"));
    expect(Array.from((exact.apply(x) as tf.Tensor).dataSync())).toEqual(Array.from(tf.avgPool(x, 2, 2, "same").dataSync()));
    // d(sum)/dx is 1 / (real cells of the window holding x)
    const want = [0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1];
    expect(Array.from(tf.grad(viaLayer)(x).dataSync())).toEqual(want);
    expect(Array.from(tf.grad(viaTfjs)(x).dataSync())).not.toEqual(want);
  });

  it("works around tfjs' reduce-max gradient, which gives every tied maximum the full gradient", () => {
    // a constant 1x3 image: three tied maxima; the gradient of the max must total 1
    const x = tf.tensor4d([5, 5, 5], [1, 1, 3, 1]);
    const viaMax = (t: tf.Tensor): tf.Scalar => tf.sum(tf.max(t, [1, 2]));
    const viaPool = (t: tf.Tensor): tf.Scalar => tf.sum(tf.maxPool(t as tf.Tensor4D, [1, 3], [1, 3], "valid"));
    expect(tf.sum(tf.grad(viaPool)(x)).dataSync()[0]).toBe(1);
    expect(tf.sum(tf.grad(viaMax)(x)).dataSync()[0]).toBe(3);
  });

  it("fails a comparison on NaN, on a wrong length and past the tolerance", () => {
    expect(compareArrays([1, NaN], [1, 2], float32Tolerance).ratio).toBe(Infinity);
    expect(compareArrays([1], [1, 2], float32Tolerance).ratio).toBe(Infinity);
    expect(compareArrays([1.001], [1], float32Tolerance).ratio).toBeGreaterThan(1);
    expect(compareArrays([1.00005], [1], float32Tolerance).ratio).toBeLessThanOrEqual(1);
  });

  it("knows which parameters have a true gradient of 0 (a shift a training batch norm removes)", () => {
    const conv = (padding: "valid" | "same", kernel = 3): UnaryCall => ({ op: "conv2d", filters: 4, kernel: [kernel, kernel], stride: 1, padding, dilation: 1, bias: true });
    const norm: UnaryCall = { op: "batchnorm", momentum: null, epsilon: null, center: true, scale: true };
    const bind = (name: string, from: string | MergeCall, calls: UnaryCall[]): Binding => ({ name, source: typeof from === "string" ? { kind: "ref", name: from } : { kind: "merge", call: from }, calls, annotate: false });
    const net = (bindings: Binding[]): Network => ({ seed: 1, modelName: "Net", input: { name: "x", shape: [8, 8, 2] }, bindings, outputForm: "implicit", train: { loss: "mse", tensor: bindings.at(-1)!.name }, optimizers: [] });
    const inert = (bindings: Binding[]) => [...inertParams(net(bindings))].sort();
    // through pools, an unpadded conv and across a binding with one reader
    expect(inert([bind("h", "x", [conv("same"), { op: "maxpool", size: [2, 2], stride: null, padding: "same" }, conv("valid"), norm]), bind("out", "h", [{ op: "flatten" }, { op: "dense", units: 2, bias: true }])])).toEqual(["h.conv2d1.bias", "h.conv2d2.bias"]);
    // not through an activation or a padded conv (whose own bias is added after the padding);
    // a batch norm's beta before another batch norm is
    expect(inert([bind("h", "x", [conv("same"), { op: "relu" }, norm, conv("valid"), conv("same"), norm, norm])])).toEqual(["h.batchnorm2.beta", "h.conv2d3.bias"]);
    // every path must meet a batch norm before the output or the loss's tensor
    const paths = (second: UnaryCall[]) => [bind("a", "x", [conv("valid", 1)]), bind("b", "a", [norm]), bind("c", "a", second), bind("out", { op: "add", inputs: ["b", "c"] }, [])];
    expect(inert(paths([{ op: "dropout", rate: 0 }, norm]))).toEqual(["a.bias"]);
    expect(inert(paths([{ op: "dropout", rate: 0.5 }, norm]))).toEqual([]);
    expect(inert(paths([]))).toEqual([]);
    expect(inert([bind("a", "x", [conv("valid", 1)]), bind("out", { op: "concat", inputs: ["a", "x"] }, [norm])])).toEqual(["a.bias"]);
  });
});

describe("generated networks", () => {
  it("are deterministic: one seed, one source", () => {
    const seed = seeds[0]!;
    expect(printNetwork(generateNetwork(seed)).source).toBe(printNetwork(generateNetwork(seed)).source);
    expect(printNetwork(generateNetwork(seed)).source).not.toBe(printNetwork(generateNetwork(seed + 1)).source);
  });

  it("stay within the limits: layers, elements per tensor", () => {
    for (const net of networks) {
      const shapes = networkShapes(net);
      expect(layersOf(net).length, `seed ${net.seed}`).toBeLessThanOrEqual(limits.maxLayers + 1);
      for (const s of [...shapes.layers, ...shapes.named.values()]) {
        expect(product(s)).toBeLessThanOrEqual(limits.maxElements);
        expect(Math.min(...s)).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("cover every op and every loss of LANGUAGE.md", () => {
    // the generator's reach, over more networks than CI runs against tfjs (generating is cheap)
    const sample = caseSeeds(Math.max(fuzzCount, 400)).map(generateNetwork);
    const ops = new Set(sample.flatMap((n) => layersOf(n).map((c) => c.op)));
    const losses = new Set(sample.map((n) => n.train?.loss ?? "none"));
    // every op of the registry, so a new op without a generator fails here
    const all = opNames;
    expect([...ops].sort()).toEqual([...all].sort());
    // and the arguments that change the kernel: groups on conv2d
    expect(sample.some((n) => layersOf(n).some((c) => c.op === "conv2d" && (c.groups ?? 1) > 1))).toBe(true);
    expect([...losses].sort()).toEqual(["binary_cross_entropy", "mse", "none", "softmax_cross_entropy"]);
  });

  it("get from tfjs the shapes the independent formulas give", () => {
    for (const net of networks) {
      const t = buildTfjs(net);
      const mine = networkShapes(net);
      mine.layers.forEach((s, i) =>
        expect(sameDims(s, t.layerShapes[i]!), `seed ${net.seed} layer ${i}: [${s}] vs [${t.layerShapes[i]}]`).toBe(true),
      );
      t.model.dispose();
    }
  });

  it("all pass cnnc's parser and checker", () => {
    for (const net of networks) {
      const { source } = printNetwork(net);
      const analysis = analyze(source, `seed-${net.seed}.cnn`);
      const errors = analysis.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
      expect(errors, `seed ${net.seed}\n${source}`).toEqual([]);
    }
  });
});

describe("cnnc agrees with tfjs", () => {
  const table = new ErrorTable();
  afterAll(() => {
    console.log(
      `worst error per op over ${seeds.length} networks (seeds ${seeds[0]}..${seeds[seeds.length - 1]}), |diff| (ratio to rtol ${float32Tolerance.rtol} / atol ${float32Tolerance.atol}):\n${table.format()}\ntfjs tensors still allocated: ${tf.memory().numTensors}`,
    );
  });

  for (const net of networks) {
    it(`seed ${net.seed}`, async () => {
      const report = await runCase(net, table);
      const message = `seed ${net.seed} (${replayHint(net.seed, "test/diff.test.ts")})\n${report.failures.join("\n")}\n--- source ---\n${report.source}`;
      expect(report.failures, message).toEqual([]);
    }, 60_000);
  }
});

// The readable build (--readable) computes the same functions with plain loops: a different
// seed range from the tuned cases above, so together they cover more networks.
// a count of 0 leaves the suite out (an empty suite is a failure to vitest)
describe.runIf(readableCount > 0)("the readable build agrees with tfjs", () => {
  const table = new ErrorTable();
  for (const net of caseSeeds(readableCount).map((s) => generateNetwork(s + 1_000_000))) {
    it(`seed ${net.seed}`, async () => {
      // the readable build is TypeScript whatever DIFF_TARGET says (--readable has no wasm form)
      const report = await runCase(net, table, { readable: true, target: "ts" });
      const message = `seed ${net.seed} (readable; replay: FUZZ_READABLE=1 FUZZ_SEED=${net.seed} FUZZ_COUNT=1 npx vitest run test/diff.test.ts)\n${report.failures.join("\n")}\n--- source ---\n${report.source}`;
      expect(report.failures, message).toEqual([]);
    }, 60_000);
  }
});

// The WebAssembly target (--target wasm): another seed range, so together they cover more
// networks, batch-norm trainers among them (layer-major, in a memory that grows with the
// batch). DIFF_TARGET=wasm runs the main sweep above on it too.
describe.runIf(wasmCount > 0)("the wasm target agrees with tfjs", () => {
  const table = new ErrorTable();
  for (const net of caseSeeds(wasmCount).map((s) => generateNetwork(s + 2_000_000))) {
    it(`seed ${net.seed}`, async () => {
      const report = await runCase(net, table, { target: "wasm" });
      const message = `seed ${net.seed} (wasm; replay: DIFF_TARGET=wasm FUZZ_SEED=${net.seed} FUZZ_COUNT=1 npx vitest run test/diff.test.ts)\n${report.failures.join("\n")}\n--- source ---\n${report.source}`;
      expect(report.failures, message).toEqual([]);
    }, 60_000);
  }
});
