// Gradient checks in float64 for every op across its argument space, every loss, and every
// example network whole. Each case is a tiny model whose loss reads the op's output, so the
// op's own backward rule (and its input gradient) is what gets checked.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { opNames } from "../src/ops/index.js";
import { analyze } from "../src/index.js";
import { dxForm } from "../src/emit/kernels/conv2d-simd.js";
import { gradcheckSource, gradcheckWasmF32 } from "./helpers/gradcheck.js";
import { convCases } from "./gradcheck/conv.js";
import { sequenceCases } from "./gradcheck/sequence.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

interface Case {
  readonly op: string;
  readonly name: string;
  readonly source: string;
  readonly loss: string;
}

/** `input x: shape`, then `y = x |> pipeline`, trained with mse on y. */
function unary(op: string, name: string, shape: string, pipeline: string, loss = "mse"): Case {
  return {
    op,
    name,
    loss,
    source: `model M {
      input x: ${shape}
      y = x |> ${pipeline}
      train { loss ${loss}(y) optimizer sgd(lr: 0.1) }
    }`,
  };
}

const cases: Case[] = [];

for (const stride of [1, 2, 3])
  for (const padding of ["valid", "same", "1"])
    for (const dilation of [1, 2])
      for (const [kernel, shape] of [["3", "[7, 6, 2]"], ["[2, 3]", "[8, 8, 1]"]] as const)
        cases.push(unary("conv2d", `k=${kernel} s=${stride} p=${padding} d=${dilation} on ${shape}`, shape,
          `conv2d(3, kernel: ${kernel}, stride: ${stride}, padding: ${padding}, dilation: ${dilation})`));
cases.push(unary("conv2d", "no bias, 1x1", "[5, 4, 3]", "conv2d(2, kernel: 1, bias: false)"));
// conv2d's bias gradient, derived by the tiling passes in blocks of 8 filters: every remainder
for (const f of range(17).map((i) => i + 1)) cases.push(unary("conv2d", `bias gradient over ${f} filters`, "[3, 4, 2]", `conv2d(${f}, kernel: [2, 1])`));
cases.push(unary("conv2d", "[stride] pair, 9x9 looped window", "[11, 10, 1]", "conv2d(2, kernel: 9, stride: [1, 2], padding: same)"));
for (const act of ["relu", "sigmoid", "tanh", "leaky_relu(alpha: 0.2)"])
  cases.push(unary("conv2d", `fused ${act}`, "[6, 6, 2]", `conv2d(3, kernel: 3, padding: same) |> ${act}`));

for (const op of ["maxpool", "avgpool"])
  for (const size of ["2", "[2, 3]", "3"])
    for (const stride of [1, 2, 3])
      for (const padding of ["valid", "same", "1"]) {
        const shape = size === "3" ? "[8, 8, 1]" : "[7, 6, 2]";
        cases.push(unary(op, `size=${size} s=${stride} p=${padding} on ${shape}`, shape, `${op}(${size}, stride: ${stride}, padding: ${padding})`));
      }

cases.push(unary("global_avgpool", "odd", "[5, 3, 4]", "global_avgpool"));
cases.push(unary("global_maxpool", "odd", "[5, 3, 4]", "global_maxpool"));
cases.push(unary("flatten", "into dense", "[3, 4, 2]", "flatten |> dense(5)"));
cases.push(unary("dense", "with bias", "[7]", "dense(4)"));
cases.push(unary("dense", "without bias", "[6]", "dense(3, bias: false)"));
for (const act of ["relu", "sigmoid", "tanh", "leaky_relu"])
  cases.push(unary("dense", `fused ${act}`, "[6]", `dense(5) |> ${act}`));
for (const act of ["relu", "sigmoid", "tanh", "leaky_relu", "leaky_relu(alpha: 0.3)", "softmax"])
  cases.push(unary(act.split("(")[0]!, "standalone", "[3, 4, 2]", act));
cases.push(unary("softmax", "vector", "[6]", "softmax"));

// The second wave's activations: standalone, fused into conv2d and dense (those whose derivative
// reads the pre-activation keep it in the arena), and through both builds. The inputs of
// [-1, 1] are summed eight times (add) so every piece of each function is reached (relu6's 6,
// hard_sigmoid's +-3, gelu's erf past its series' range of |x| < 2 sqrt(2)).
const secondWave = ["relu6", "elu", "elu(alpha: 0.5)", "elu(alpha: -0.5)", "selu", "gelu", "gelu(approximate: true)", "silu", "swish", "hard_sigmoid", "hard_swish", "softplus"];
const widened = (shape: string, pipeline: string): string => `model M {
      input x: ${shape}
      y = add(x, x, x, x, x, x, x, x) |> ${pipeline}
      train { loss mse(y) optimizer sgd(lr: 0.1) }
    }`;
for (const act of secondWave) {
  const op = act.split("(")[0]!;
  cases.push({ op, name: `standalone ${act}`, loss: "mse", source: widened("[3, 4, 2]", act) });
  cases.push({ op, name: `fused into conv2d: ${act}`, loss: "mse", source: widened("[6, 6, 2]", `conv2d(3, kernel: 3, padding: same) |> ${act}`) });
  cases.push({ op, name: `fused into dense: ${act}`, loss: "mse", source: widened("[6]", `dense(5) |> ${act}`) });
}
// the pre-activation of a fused one is also read when it is not the last layer
cases.push(unary("gelu", "fused, then more layers", "[5, 5, 2]", "conv2d(4, kernel: 3, stride: 2) |> gelu |> flatten |> dense(9) |> silu |> dense(2)"));
cases.push(unary("dropout", "rate 0.5 (fixed mask per computeGradients)", "[4, 4, 2]", "dropout(0.5)"));
cases.push(unary("dropout", "after dense", "[6]", "dense(8) |> dropout(rate: 0.25) |> dense(3)"));
// dense's tuned TypeScript schedule, derived by the tiling passes: every remainder of its 8-unit
// forward blocks and 4-unit backward strips (units 1..17), odd and even input counts (its 2-row
// backward blocks), and a layer whose input needs a gradient (the second). A frozen dense, whose
// backward only carries the gradient through, is test/freeze-ops.test.ts's.
for (const u of range(17).map((i) => i + 1))
  cases.push(unary("dense", `tuned tails: ${(u % 4) + 1} inputs, ${u} units, then 3`, `[${(u % 4) + 1}]`, `dense(${u}) |> tanh |> dense(3)`));

cases.push({
  op: "add",
  name: "fan-out: a tensor used twice",
  loss: "mse",
  source: `model M {
    input x: [5, 5, 2]
    a = x |> conv2d(3, kernel: 3, padding: same)
    b = a |> relu |> conv2d(3, kernel: 1)
    y = add(a, b, a)
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`,
});
cases.push({
  op: "concat",
  name: "three branches, channel axis",
  loss: "mse",
  source: `model M {
    input x: [4, 5, 2]
    a = x |> conv2d(1, kernel: 1)
    b = x |> conv2d(3, kernel: 3, padding: same) |> tanh
    y = concat(a, b, x)
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`,
});
cases.push(unary("concat", "vectors", "[4]", "dense(3) |> concat(x)"));
// batchnorm in training mode over batches of 1, 2 and 5 is in test/batchnorm.test.ts; the
// default batch of 2 here
cases.push(unary("batchnorm", "after conv2d, training mode", "[4, 4, 2]", "conv2d(3, kernel: 2) |> batchnorm"));
cases.push(unary("softmax_cross_entropy", "class labels", "[6]", "dense(4)", "softmax_cross_entropy"));
cases.push(unary("binary_cross_entropy", "on a sigmoid", "[6]", "dense(3) |> sigmoid", "binary_cross_entropy"));
cases.push(unary("binary_cross_entropy", "on a standalone sigmoid after conv", "[3, 3, 2]", "conv2d(2, kernel: 2) |> sigmoid", "binary_cross_entropy"));
cases.push(unary("mse", "image-shaped", "[3, 3, 2]", "conv2d(2, kernel: 2)"));
cases.push(...convCases());
cases.push(...sequenceCases);
cases.push(unary("mae", "image-shaped", "[3, 3, 2]", "conv2d(2, kernel: 2)", "mae"));
cases.push(unary("huber", "delta 1 (every error below it)", "[6]", "dense(4)", "huber"));
// targets in [-1, 1] and outputs of a few units: a delta of 0.3 puts errors on both sides of it
for (const delta of ["0.3", "0.05"])
  cases.push({
    op: "huber",
    name: `delta ${delta} (both pieces)`,
    loss: "huber",
    source: `model M {
      input x: [6]
      y = x |> dense(8) |> dense(5)
      train { loss huber(y, delta: ${delta}) optimizer sgd(lr: 0.1) }
    }`,
  });
cases.push({
  op: "label_smoothing",
  name: "softmax_cross_entropy, class labels, label_smoothing 0.1",
  loss: "softmax_cross_entropy",
  source: `model M {
    input x: [6]
    y = x |> dense(4)
    train { loss softmax_cross_entropy(y, label_smoothing: 0.1) optimizer sgd(lr: 0.1) }
  }`,
});

describe("gradient check of every op (float64 central differences)", () => {
  it.each(cases.map((c) => [`${c.op}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const result = await gradcheckSource(c.source, c.loss);
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });

  it("covers every op in the kernel registry and every loss", () => {
    const covered = new Set(cases.map((c) => c.op));
    const missing = [...opNames, "softmax_cross_entropy", "binary_cross_entropy", "mse", "mae", "huber", "label_smoothing"].filter((op) => !covered.has(op));
    expect(missing).toEqual([]);
  });
});

// The readable build is the same math in plain loops: the first case of each op (its simplest
// form) and the whole of LeNet must pass the same check.
describe("gradient check of the readable build (--readable)", () => {
  const firsts = [...new Map(cases.map((c) => [c.op, c] as const)).values()];
  it.each(firsts.map((c) => [`${c.op}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const result = await gradcheckSource(c.source, c.loss, { readable: true });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });

  it("lenet, whole", async () => {
    const source = readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8");
    const result = await gradcheckSource(source, "softmax_cross_entropy", { n: 2, sample: 12, readable: true });
    expect(result.checked).toBeGreaterThan(30);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
  });
});

// The wasm target's kernels (f64 builds compute and store in f64 there too): the first case of
// each op and LeNet whole in `npm test` (each case is a compile through binaryen, ~0.3 s);
// GRADCHECK_WASM=all checks every case of every op (122 cases, ~45 s).
describe("gradient check of --target wasm", () => {
  const wasmCases = process.env.GRADCHECK_WASM === "all" ? cases : [...new Map(cases.map((c) => [c.op, c] as const)).values()];
  it.each(wasmCases.map((c) => [`${c.op}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const result = await gradcheckSource(c.source, c.loss, { target: "wasm" });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });

  // batchnorm trains layer-major (the whole batch in a memory that grows with it): training-mode
  // gradients over batches of 1, 2 and 5, a max pool after it so the index arena moves too
  const normed = `model M {
    input x: [4, 4, 2]
    y = x |> conv2d(3, kernel: 2, padding: same) |> batchnorm(momentum: 0.5) |> relu |> maxpool(2) |> flatten |> dense(3) |> batchnorm(center: false)
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`;
  it.each([1, 2, 5])("batchnorm in training mode, batch of %i", async (n) => {
    const result = await gradcheckSource(normed, "mse", { n, target: "wasm" });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });

  it("lenet, whole", async () => {
    const source = readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8");
    const result = await gradcheckSource(source, "softmax_cross_entropy", { n: 2, sample: 12, target: "wasm" });
    expect(result.checked).toBeGreaterThan(30);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
  });
});

describe("gradient check of each example network, whole", () => {
  for (const name of ["lenet", "cifar", "residual", "inception"]) {
    it(name, async () => {
      const source = readFileSync(new URL(`../examples/${name}.cnn`, import.meta.url), "utf8");
      // Every parameter tensor and the input, a random sample of entries of each.
      const result = await gradcheckSource(source, "softmax_cross_entropy", { n: name === "cifar" ? 1 : 2, sample: name === "cifar" ? 3 : 12 });
      expect(result.checked).toBeGreaterThan(30);
      expect(result.mismatches.slice(0, 5)).toEqual([]);
      expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
    });
  }
});

// The wasm target's f32 builds compute conv2d's and dense's forward passes in f32x4: their
// gradients (f32 builds, f32 sums) against float64 central differences of the f64 TypeScript
// build holding the same weights (rtol 1e-3, atol 1e-4), their predictions within 1e-5 of it
// and their gradients within 1e-4 of its analytic ones (relative to each tensor's scale), over
// the attribute space: strides 1-3, paddings, dilations, filter counts 1-9 and 12, 16 (every
// width 1-3 of the partial last vector, alone or after whole ones, whose dead lanes must reach
// no output and no gradient), rows of pixels that do and do not fill the 4-pixel tiles, units
// 1-10 and 20, and fused activations taken as f32x4 (relu) or lane by lane; and maxpool's and
// global_maxpool's f32x4 forward kernels, channel counts 1..9.
// conv2d input-gradient cases of the f32x4 gradient check: [c, f, kernel, padding, input, the form
// `dxForm` must choose, more arguments]. Rows form: runs of kw * c = 3..35 elements (tails 0-3 of
// the run's last vector, within and after a 4-vector block) and of c when dilated, filters 1..9,
// 12, 16, 32, valid and padded (its own zeroed bordered dx), strided; gather form: channels 1..5,
// 6, 8, 11, 12 (tails 0-3), borders present and empty (1 x 1, "full" paddings of k - 1); scatter
// form: runs of 1-3 elements (dilated or 1 x 1 over few channels, strided), filters 7, 8, 16, 32.
type DxCase = readonly [c: number, f: number, kernel: string, padding: string, input: string, form: "gather" | "rows" | "scatter", more: string];
const dxCases: readonly DxCase[] = [
  [1, 3, "3", "valid", "[6, 7, 1]", "rows", ""],
  [1, 12, "3", "valid", "[6, 7, 1]", "rows", ""],
  [2, 1, "2", "same", "[7, 6, 2]", "rows", ""],
  [3, 5, "5", "same", "[8, 9, 3]", "rows", ""],
  [3, 6, "3", "valid", "[6, 6, 3]", "rows", ""],
  [4, 2, "1", "valid", "[5, 6, 4]", "gather", ""],
  [5, 4, "3", "[1, 2]", "[6, 7, 5]", "rows", ""],
  [5, 8, "3", "[1, 1]", "[6, 7, 5]", "rows", ""],
  [6, 7, "[2, 3]", "same", "[6, 8, 6]", "rows", ""],
  [7, 9, "5", "2", "[7, 7, 7]", "rows", ""],
  [8, 6, "2", "valid", "[5, 7, 8]", "rows", ""],
  [9, 12, "3", "same", "[6, 5, 9]", "rows", ""],
  [2, 16, "5", "valid", "[9, 8, 2]", "rows", ""],
  [3, 2, "3", "2", "[5, 6, 3]", "gather", ""],
  [2, 3, "2", "2", "[5, 5, 2]", "rows", ""],
  [5, 3, "3", "2", "[5, 6, 5]", "gather", ""],
  [6, 4, "3", "2", "[5, 5, 6]", "gather", ""],
  [1, 5, "1", "valid", "[5, 6, 1]", "gather", ""],
  [2, 9, "1", "valid", "[4, 5, 2]", "gather", ""],
  [8, 6, "3", "same", "[6, 5, 8]", "gather", ""],
  [11, 12, "3", "same", "[5, 6, 11]", "gather", ""],
  [12, 16, "2", "same", "[4, 6, 12]", "gather", ""],
  [2, 16, "3", "valid", "[9, 9, 2]", "scatter", ", dilation: 2"],
  [2, 7, "3", "same", "[8, 9, 2]", "scatter", ", dilation: 2"],
  [3, 9, "3", "same", "[7, 8, 3]", "rows", ", dilation: 2"],
  [2, 32, "1", "valid", "[6, 7, 2]", "scatter", ", stride: 2"],
  [1, 8, "2", "1", "[6, 7, 1]", "scatter", ", stride: 2"],
  [8, 32, "3", "same", "[7, 9, 8]", "rows", ", stride: 2"],
];

it.each(dxCases.map((d) => [`c=${d[0]} f=${d[1]} k=${d[2]} p=${d[3]}${d[6]} on ${d[4]}`, d] as const))("conv2d's f32x4 input gradient takes the %s case's form", (_, [, f, kernel, padding, shape, form, more]) => {
  const model = analyze(`model M {\n  input x: ${shape}\n  y = x |> conv2d(${f}, kernel: ${kernel}, padding: ${padding}${more})\n}`).checked!.models[0]!;
  const layer = model.layers[0]!;
  if (layer.op !== "conv2d") throw new Error("not a conv2d");
  const shapeOf = (t: number): readonly number[] => model.tensors[t]!.shape;
  expect(dxForm(layer.attrs, shapeOf(layer.inputs[0]!), shapeOf(layer.output))).toBe(form);
});

describe("gradient check of the wasm target's f32x4 conv2d, dense and maxpool kernels (f32 builds)", () => {
  const conv = (filters: number, stride: number, padding: string, dilation: number, shape: string, tail = ""): Case =>
    unary("conv2d", `f=${filters} s=${stride} p=${padding} d=${dilation} on ${shape}${tail}`, shape, `conv2d(${filters}, kernel: 3, stride: ${stride}, padding: ${padding}, dilation: ${dilation})${tail}`);
  const f32Cases: Case[] = [
    conv(1, 1, "valid", 1, "[6, 7, 2]"),
    conv(3, 2, "same", 1, "[7, 9, 3]"),
    conv(5, 3, "1", 1, "[9, 10, 2]"),
    conv(6, 1, "same", 2, "[8, 9, 2]", " |> relu"),
    conv(9, 2, "valid", 2, "[9, 11, 3]", " |> tanh"),
    conv(16, 1, "1", 1, "[5, 6, 2]", " |> relu"),
    conv(8, 3, "same", 1, "[10, 13, 1]", " |> leaky_relu(alpha: 0.2)"),
    conv(2, 2, "1", 1, "[7, 8, 2]", " |> sigmoid"),
    conv(4, 1, "same", 1, "[6, 6, 1]", " |> relu"),
    conv(7, 1, "valid", 1, "[6, 10, 2]", " |> relu"),
    conv(7, 2, "same", 2, "[9, 9, 2]"),
    unary("conv2d", "f=2 after a conv2d of 3 (the input gradient of a partial vector alone)", "[7, 7, 2]", "conv2d(3, kernel: 2) |> conv2d(2, kernel: 3, padding: same)"),
    unary("conv2d", "f=6 after a conv2d of 5, no bias", "[7, 8, 1]", "conv2d(5, kernel: 2) |> relu |> conv2d(6, kernel: 3, stride: 2, bias: false)"),
    unary("conv2d", "f=4 non-square [2, 3], no bias", "[6, 9, 2]", "conv2d(4, kernel: [2, 3], bias: false)"),
    unary("conv2d", "f=12 gelu (keeps its pre-activation)", "[5, 7, 2]", "conv2d(12, kernel: 3, padding: same) |> gelu"),
    ...[1, 2, 3, 4, 7, 10].map((u) => unary("dense", `units=${u}`, "[13]", `dense(${u})`)),
    ...[5, 6, 8, 9].map((u) => unary("dense", `units=${u} relu after a dense`, "[6]", `dense(${u}) |> relu |> dense(${u + 1})`)),
    unary("dense", "units=20 relu", "[9]", "dense(20) |> relu"),
    unary("dense", "units=7 sigmoid, no bias", "[11]", "dense(7, bias: false) |> sigmoid"),
    unary("dense", "units=24 after a conv2d and flatten", "[4, 4, 2]", "conv2d(5, kernel: 2) |> relu |> flatten |> dense(24)"),
    // the forward's sums in chunks of 64 inputs: whole chunks and a remainder, whole chunks only
    unary("dense", "units=6 on 150 inputs", "[150]", "dense(6)"),
    unary("dense", "units=5 on 128 inputs, relu after", "[128]", "dense(5) |> relu |> dense(3)"),
    // maxpool's f32x4 kernel: channel counts 1..9 (tails 0-3), windows unrolled and looped,
    // first taps in and out of the padding
    ...range(9).map((k) => {
      const [size, stride, padding] = [["2", 2, "valid"], ["3", 2, "same"], ["[2, 3]", 1, "1"]][k % 3]!;
      return unary("maxpool", `c=${k + 1} size=${size} s=${stride} p=${padding}`, `[7, 6, ${k + 1}]`, `maxpool(${size}, stride: ${stride}, padding: ${padding})`);
    }),
    // conv2d's f32x4 input gradient, in gather form where it has no more vector work than the
    // rows form (stride 1, dilation 1: `dxForm` in conv2d-simd.ts; each case's form is checked
    // above), else in rows form, or scatter form on short runs: kernels 1, 2,
    // 3, 5 and [2, 3], borders of k - 1 - padding from valid, same (asymmetric for an even
    // kernel), explicit pairs, a "full" padding of k - 1 (no border: dy itself is read), a
    // padding wider than k - 1; dx accumulated from two readers (a residual add), in both forms
    ...dxCases.map(([c, f, kernel, padding, shape, form, more]) =>
      unary("conv2d", `dx ${form}: c=${c} f=${f} k=${kernel} p=${padding}${more} on ${shape}`, shape, `conv2d(${f}, kernel: ${kernel}, padding: ${padding}${more})`)),
    ...([["rows", 2], ["gather", 3]] as const).map(([form, c]) => ({
      op: "conv2d",
      name: `dx ${form}: c=${c} into two readers (a residual add)`,
      loss: "mse",
      source: `model M {
        input x: [6, 6, ${c}]
        y = x |> conv2d(${c}, kernel: 3, padding: same) |> relu
        z = add(x, y) |> conv2d(5, kernel: 2)
        train { loss mse(z) optimizer sgd(lr: 0.1) }
      }`,
    })),
    unary("maxpool", "c=5, 8x8 looped window", "[9, 9, 5]", "maxpool(8, stride: 1, padding: same)"),
    unary("maxpool", "c=6 after a conv2d", "[6, 6, 2]", "conv2d(6, kernel: 3, padding: same) |> relu |> maxpool(2)"),
    unary("global_maxpool", "c=7", "[5, 3, 7]", "global_maxpool"),
    unary("global_maxpool", "c=8", "[4, 4, 8]", "global_maxpool"),
  ];
  it.each(f32Cases.map((c) => [`${c.op}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const result = await gradcheckWasmF32(c.source, c.loss, { sample: 16 });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
    expect(result.forward).toBeLessThan(1e-5);
    expect(result.gradients).toBeLessThan(1e-4);
  });

  // layer-major training (batchnorm): each sample has its own copy of the gather form's bordered
  // dy and flipped kernel, whose borders must stay zero in every copy as the memory grows, and of
  // the rows form's transposed kernel and bordered dx (zeroed per call); the second conv (c=5,
  // f=8, same) takes the rows form, the third (c=8, f=6, same) the gather form, the last (c=6,
  // f=4, valid) the rows form without a border (the convs have no bias: a bias before a batchnorm
  // has a zero gradient, no scale to compare with)
  const normed = `model M {
    input x: [6, 5, 3]
    y = x |> conv2d(5, kernel: 3, padding: same, bias: false) |> batchnorm(momentum: 0.5) |> relu |> conv2d(8, kernel: 3, padding: same, bias: false) |> batchnorm |> relu |> conv2d(6, kernel: 3, padding: same, bias: false) |> batchnorm |> relu |> conv2d(4, kernel: 2, bias: false) |> batchnorm |> flatten |> dense(3)
    train { loss mse(y) optimizer sgd(lr: 0.1) }
  }`;
  it.each([1, 3])("dx gather and rows under batchnorm (layer-major), batch of %i", async (n) => {
    const result = await gradcheckWasmF32(normed, "mse", { n, sample: 16 });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
    expect(result.gradients).toBeLessThan(1e-4);
  });
});
