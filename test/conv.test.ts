// The second wave's convolutions: forward values against the independent references of
// helpers/reference-conv.ts (weights set through setWeights in Keras layouts, both precisions);
// conv2d_transpose against its definition as the adjoint of conv2d (<A u, x> = <u, A^T x>, with
// A the compiled conv2d); and the readable build's plain loops under the gradient check.
import { beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { lower } from "../src/ir/lower.js";
import { gradcheckSource, rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";
import * as ref from "./helpers/reference.js";
import * as conv from "./helpers/reference-conv.js";

type Data = Float32Array | Float64Array;
type WeightList = { name: string; shape: number[]; data: Data }[];

interface ForwardCase {
  readonly name: string;
  readonly shape: readonly [number, number, number];
  readonly pipeline: string;
  readonly reference: (x: ref.Image, w: (name: string) => { shape: number[]; data: Data }) => ref.Image;
}

const kernel4 = (w: { shape: number[]; data: Data }): ref.ConvKernel => ref.toConvKernel(w.data, w.shape[0]!, w.shape[1]!, w.shape[2]!, w.shape[3]!);
const vec = (w: { data: Data }): number[] => Array.from(w.data);
const opts = (stride: ref.Pair, dilation: ref.Pair, padding: ref.PaddingSpec): ref.ConvOptions => ({ stride, dilation, padding });

const forwardCases: ForwardCase[] = [
  ...([
    [2, [1, 1], [1, 1], "valid", "3"],
    [2, [2, 1], [1, 2], "same", "[2, 3]"],
    [4, [3, 3], [1, 1], 1, "3"],
    [4, [1, 2], [2, 2], "same", "[3, 2]"],
  ] as const).map(([groups, stride, dilation, padding, kernel]): ForwardCase => ({
    name: `conv2d groups=${groups} k=${kernel} s=${stride} d=${dilation} p=${padding}`,
    shape: [7, 6, 4],
    pipeline: `conv2d(8, kernel: ${kernel}, stride: [${stride}], dilation: [${dilation}], padding: ${padding}, groups: ${groups})`,
    reference: (x, w) => conv.groupedConv2d(x, kernel4(w("kernel")), vec(w("bias")), groups, opts(stride, dilation, padding)),
  })),
  ...([
    [1, [1, 1], [1, 1], "valid", "3"],
    [2, [2, 2], [1, 1], "same", "[2, 3]"],
    [2, [1, 1], [2, 1], 1, "3"],
    [1, [3, 2], [1, 1], "same", "[3, 2]"],
  ] as const).map(([m, stride, dilation, padding, kernel]): ForwardCase => ({
    name: `depthwise_conv2d m=${m} k=${kernel} s=${stride} d=${dilation} p=${padding}`,
    shape: [7, 6, 3],
    pipeline: `depthwise_conv2d(kernel: ${kernel}, stride: [${stride}], dilation: [${dilation}], padding: ${padding}, depth_multiplier: ${m})`,
    reference: (x, w) => conv.depthwiseConv2d(x, kernel4(w("kernel")), vec(w("bias")), opts(stride, dilation, padding)),
  })),
  ...([
    [1, [1, 1], [1, 1], "valid"],
    [2, [2, 2], [1, 1], "same"],
    [2, [1, 1], [2, 2], "same"],
  ] as const).map(([m, stride, dilation, padding]): ForwardCase => ({
    name: `separable_conv2d m=${m} s=${stride} d=${dilation} p=${padding}`,
    shape: [7, 6, 3],
    pipeline: `separable_conv2d(5, kernel: 3, stride: [${stride}], dilation: [${dilation}], padding: ${padding}, depth_multiplier: ${m})`,
    reference: (x, w) => conv.separableConv2d(x, kernel4(w("depthwise_kernel")), kernel4(w("pointwise_kernel")), vec(w("bias")), opts(stride, dilation, padding)),
  })),
  ...([
    [[1, 1], "valid", "3"],
    [[2, 2], "valid", "3"],
    [[3, 3], "valid", "2"],
    [[2, 2], "same", "3"],
    [[2, 1], "same", "[4, 3]"],
    [[3, 2], "same", "[2, 5]"],
  ] as const).map(([stride, padding, kernel]): ForwardCase => ({
    name: `conv2d_transpose k=${kernel} s=${stride} p=${padding}`,
    shape: [3, 4, 2],
    pipeline: `conv2d_transpose(3, kernel: ${kernel}, stride: [${stride}], padding: ${padding})`,
    reference: (x, w) => conv.conv2dTranspose(x, kernel4(w("kernel")), vec(w("bias")), stride, padding),
  })),
];

const modelName = (k: number): string => `F${k}`;
const forwardSource = forwardCases
  .map((c, k) => `model ${modelName(k)} {\n  input x: [${c.shape.join(", ")}]\n  y = x |> ${c.pipeline} as layer\n}`)
  .join("\n\n");

function randomize(net: any, Typed: typeof Float32Array | typeof Float64Array, seed: number): WeightList {
  const r = rng(seed);
  net.setWeights(net.getWeights().map((w: WeightList[number]) => ({ ...w, data: new Typed(Array.from(w.data, () => r() * 2 - 1)) })));
  return net.getWeights();
}

function misses(actual: ArrayLike<number>, expected: readonly number[], tol: number): string[] {
  if (actual.length !== expected.length) return [`length ${actual.length}, expected ${expected.length}`];
  const out: string[] = [];
  for (let i = 0; i < expected.length && out.length < 5; i++)
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) out.push(`[${i}] got ${actual[i]}, expected ${expected[i]}`);
  return out;
}

for (const precision of ["f64", "f32"] as const) {
  describe(`forward values against nested-loop references (${precision})`, () => {
    let mod: Record<string, any>;
    beforeAll(async () => {
      mod = await loadModel(forwardSource, { precision, path: "conv.cnn" });
    }, 120_000);

    it.each(forwardCases.map((c, k) => [c.name, k] as const))("%s", (_, k) => {
      const c = forwardCases[k]!;
      const Typed = precision === "f64" ? Float64Array : Float32Array;
      const Model = mod[modelName(k)];
      const net = new Model({ seed: k });
      const weights = randomize(net, Typed, 100 + k);
      const get = (name: string) => {
        const found = weights.find((w) => w.name === `layer.${name}`);
        if (!found) throw new Error(`no layer.${name}`);
        return found;
      };
      const r = rng(200 + k);
      const n = 2;
      const xs = new Typed(Array.from({ length: n * Model.inputSize }, () => r() * 4 - 2));
      const batch = net.predictBatch(xs, n);
      for (let s = 0; s < n; s++) {
        const x = ref.toImage(xs.subarray(s * Model.inputSize, (s + 1) * Model.inputSize), ...c.shape);
        const expected = ref.flattenImage(c.reference(x, get));
        expect(Model.outputSize).toBe(expected.length);
        expect(misses(batch.subarray(s * Model.outputSize, (s + 1) * Model.outputSize), expected, precision === "f64" ? 1e-12 : 1e-5)).toEqual([]);
      }
    });
  });
}

// conv2d_transpose(filters: f, kernel K [kh, kw, f, c], stride s, padding p) on [h, w, c] is
// A^T for A = conv2d(c, kernel K read as [kh, kw, f, c], s, p) on its output [h', w', f].
const adjointCases = [
  { h: 3, w: 4, c: 2, f: 3, kernel: [3, 3], stride: [1, 1], padding: "valid" },
  { h: 3, w: 4, c: 2, f: 3, kernel: [3, 3], stride: [2, 2], padding: "valid" },
  { h: 3, w: 3, c: 2, f: 2, kernel: [2, 2], stride: [3, 3], padding: "valid" },
  { h: 3, w: 4, c: 2, f: 3, kernel: [3, 3], stride: [2, 2], padding: "same" },
  { h: 4, w: 3, c: 3, f: 2, kernel: [4, 5], stride: [2, 1], padding: "same" },
  { h: 2, w: 3, c: 1, f: 2, kernel: [2, 3], stride: [3, 2], padding: "same" },
  { h: 3, w: 3, c: 2, f: 2, kernel: [5, 3], stride: [1, 3], padding: "same" },
] as const;

describe("conv2d_transpose is the adjoint of conv2d: <A u, x> = <u, A^T x>", () => {
  let mod: Record<string, any>;
  // Keras' output size, computed here: A's input is the transpose's output
  const out = (n: number, k: number, s: number, same: boolean): number => (same ? n * s : n * s + Math.max(k - s, 0));
  const source = adjointCases
    .map((t, k) => {
      const args = `kernel: [${t.kernel}], stride: [${t.stride}], padding: ${t.padding}, bias: false`;
      const same = t.padding === "same";
      const [oh, ow] = [out(t.h, t.kernel[0], t.stride[0], same), out(t.w, t.kernel[1], t.stride[1], same)];
      return `model T${k} {\n  input x: [${t.h}, ${t.w}, ${t.c}]\n  y = x |> conv2d_transpose(${t.f}, ${args})\n}
model A${k} {\n  input u: [${oh}, ${ow}, ${t.f}]\n  y = u |> conv2d(${t.c}, ${args})\n}`;
    })
    .join("\n\n");
  beforeAll(async () => {
    mod = await loadModel(source, { path: "adjoint.cnn", precision: "f64" });
  }, 120_000);

  it.each(adjointCases.map((t, k) => [`k=${t.kernel} s=${t.stride} ${t.padding} on [${t.h}, ${t.w}, ${t.c}]`, k] as const))("%s", (_, k) => {
    const T = new mod[`T${k}`]({ seed: 1 });
    const A = new mod[`A${k}`]({ seed: 2 });
    // one kernel array for both: [kh, kw, f, c] is conv2d's [kh, kw, in, out] layout with in = f
    const kernel = T.getWeights()[0];
    expect(A.getWeights()[0].shape).toEqual(kernel.shape);
    A.setWeights([kernel]);
    expect(mod[`A${k}`].outputShape).toEqual(mod[`T${k}`].inputShape);
    expect(mod[`T${k}`].outputShape).toEqual(mod[`A${k}`].inputShape);
    const r = rng(50 + k);
    const x = Float64Array.from({ length: mod[`T${k}`].inputSize }, () => r() * 2 - 1);
    const u = Float64Array.from({ length: mod[`A${k}`].inputSize }, () => r() * 2 - 1);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i]!, 0);
    const left = dot(A.predict(u), x);
    const right = dot(u, T.predict(x));
    expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(left)));
    // and not by accident: a different x changes both sides
    expect(Math.abs(left)).toBeGreaterThan(1e-6);
  });
});

// The readable build prints the plain loops (boundary tests instead of the bordered copy).
describe("gradient check of the readable build's new convolutions", () => {
  const readable = [
    ["grouped conv2d, same, stride 2", "[7, 6, 4]", "conv2d(4, kernel: 3, stride: 2, padding: same, groups: 2) |> relu"],
    ["depthwise_conv2d, explicit padding, dilation 2, m=2", "[6, 7, 2]", "depthwise_conv2d(kernel: [3, 2], padding: 1, dilation: 2, depth_multiplier: 2)"],
    ["separable_conv2d, same, m=2", "[6, 5, 3]", "separable_conv2d(4, kernel: 3, padding: same, depth_multiplier: 2) |> tanh"],
    ["conv2d_transpose, same, stride 2", "[3, 4, 2]", "conv2d_transpose(3, kernel: 3, stride: 2, padding: same)"],
  ] as const;
  it.each(readable)("%s", async (_, shape, pipeline) => {
    const source = `model M {\n  input x: ${shape}\n  y = x |> ${pipeline}\n  train { loss mse(y) optimizer sgd(lr: 0.1) }\n}`;
    const result = await gradcheckSource(source, "mse", { readable: true });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });
});

// separable_conv2d's depthwise result is a scratch value the op declares: the memory plan places
// it beside the activations, and its gradient inside the region zeroed before each sample.
describe("the memory plan of separable_conv2d's scratch value", () => {
  const planOf = (train: boolean) => {
    const source = `model S {\n  input x: [6, 5, 3]\n  y = x |> separable_conv2d(4, kernel: 3, padding: same, depth_multiplier: 2)\n${train ? "  train { loss mse(y) optimizer sgd(lr: 0.1) }\n" : ""}}`;
    const analysis = analyze(source, "s.cnn");
    expect(analysis.diagnostics).toEqual([]);
    const lowered = lower(analysis.checked!.models[0]!, { inputGradient: false, precision: "f32" });
    expect(lowered.diagnostics).toEqual([]);
    return lowered.graph!;
  };

  it("places [h', w', c*m] with a zeroed gradient when training, without one when not", () => {
    const graph = planOf(true);
    const node = graph.nodes.find((n) => n.layer.op === "separable_conv2d")!;
    const [entry] = graph.plan.scratch.get(node.id)!;
    expect(entry).toMatchObject({ name: "depthwise", size: 6 * 5 * 3 * 2 });
    const { start, end } = graph.plan.gradRegion;
    expect(entry!.value + entry!.size <= start).toBe(true);
    expect(entry!.grad! >= start && entry!.grad! + entry!.size <= end).toBe(true);
    // no other buffer overlaps it
    const output = graph.plan.offsets.get(node.output)!;
    expect(entry!.value >= output + graph.values[node.output]!.size || entry!.value + entry!.size <= output).toBe(true);
    const inference = planOf(false);
    const [plain] = inference.plan.scratch.get(inference.nodes.find((n) => n.layer.op === "separable_conv2d")!.id)!;
    expect(plain!.grad).toBeNull();
  });
});
