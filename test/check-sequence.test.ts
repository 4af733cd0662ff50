// Shape rules, parameters, initialiser fans and FLOPs of conv1d, the pools along a sequence and
// upsample, checked from source text against TensorFlow's documented output sizes written here.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { CheckedModel, Layer } from "../src/check/types.js";

function lastLayer(input: string, pipeline: string): { layer: Layer; shape: readonly number[]; model: CheckedModel } {
  const analysis = analyze(`model T {\n  input x: ${input}\n  out = x |> ${pipeline}\n}`);
  if (!analysis.checked) throw new Error(analysis.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  const model = analysis.checked.models[0]!;
  const layer = model.layers[model.layers.length - 1]!;
  return { layer, shape: model.tensors[layer.output]!.shape, model };
}

const codes = (input: string, pipeline: string): string[] =>
  analyze(`model T {\n  input x: ${input}\n  out = x |> ${pipeline}\n}`).diagnostics.map((d) => d.code);

// Keras' Conv1D output lengths
const tfLength = (n: number, k: number, s: number, d: number, padding: string): number => {
  if (padding === "same" || padding === "causal") return Math.ceil(n / s);
  const p = padding === "valid" ? 0 : Number(padding);
  return Math.ceil((n + 2 * p - (k - 1) * d) / s);
};

describe("conv1d", () => {
  it("follows Keras' output length for odd and even lengths, strides 1-3, dilations 1-2, each padding", () => {
    for (const n of [9, 10])
      for (const k of [1, 2, 3])
        for (const s of [1, 2, 3])
          for (const d of [1, 2])
            for (const padding of ["valid", "same", "causal", "1"]) {
              const { shape } = lastLayer(`[${n}, 4]`, `conv1d(6, kernel: ${k}, stride: ${s}, dilation: ${d}, padding: ${padding})`);
              expect(shape, `n=${n} k=${k} s=${s} d=${d} ${padding}`).toEqual([tfLength(n, k, s, d, padding), 6]);
            }
  });

  it("pads d*(k-1) on the left only when causal, TensorFlow's split when same", () => {
    expect(lastLayer("[10, 2]", "conv1d(3, kernel: 3, dilation: 2, padding: causal)").layer.attrs).toMatchObject({ padding: { left: 4, right: 0 } });
    expect(lastLayer("[10, 2]", "conv1d(3, kernel: 4, padding: same)").layer.attrs).toMatchObject({ padding: { left: 1, right: 2 } });
    expect(lastLayer("[10, 2]", "conv1d(3, kernel: 3, padding: 2)").layer.attrs).toMatchObject({ padding: { left: 2, right: 2 } });
  });

  it("has a kernel [k, c/groups, filters] with Keras' fans, a zero bias, and 2*k*(c/groups)*filters*n' + bias FLOPs", () => {
    const { layer, model } = lastLayer("[12, 8]", "conv1d(6, kernel: 3, groups: 2, stride: 2)");
    expect(layer.params.map((i) => model.params[i])).toMatchObject([
      { name: "out.kernel", shape: [3, 4, 6], init: { kind: "glorot_uniform", fanIn: 12, fanOut: 18 } },
      { name: "out.bias", shape: [6], init: { kind: "zeros" } },
    ]);
    expect(layer.flops).toBe(2 * 3 * 4 * 6 * 5 + 6 * 5);
    expect(lastLayer("[12, 8]", "conv1d(6, kernel: 3, bias: false)").layer.flops).toBe(2 * 3 * 8 * 6 * 10);
  });

  it("reports indivisible groups, images, vectors, a kernel longer than the input, and pairs", () => {
    expect(codes("[12, 6]", "conv1d(8, kernel: 3, groups: 4)")).toEqual(["CNN3081"]);
    expect(codes("[12, 8]", "conv1d(6, kernel: 3, groups: 4)")).toEqual(["CNN3081"]);
    expect(codes("[6, 6, 2]", "conv1d(8, kernel: 3)")).toEqual(["CNN3001"]);
    expect(codes("[6]", "conv1d(8, kernel: 3)")).toEqual(["CNN3001"]);
    expect(codes("[4, 2]", "conv1d(8, kernel: 5)")).toEqual(["CNN3002"]);
    expect(codes("[8, 2]", "conv1d(8, kernel: [3, 3])")).toEqual(["CNN2012"]);
    expect(codes("[8, 2]", "conv1d(8, kernel: 3, padding: [1, 1])")).toEqual(["CNN2012"]);
  });

  it("causal padding is refused on the 2-D ops with its own code", () => {
    expect(codes("[8, 8, 2]", "conv2d(8, kernel: 3, padding: causal)")).toEqual(["CNN2090"]);
    expect(codes("[8, 8, 2]", "maxpool(2, padding: causal)")).toEqual(["CNN2090"]);
    expect(codes("[8, 2]", "avgpool(2, padding: causal)")).toEqual(["CNN2090"]);
  });
});

describe("pools along a sequence", () => {
  it("pool along the length as Keras' MaxPooling1D / AveragePooling1D", () => {
    for (const op of ["maxpool", "avgpool"])
      for (const n of [9, 10])
        for (const k of [1, 2, 3])
          for (const s of [1, 2, 3])
            for (const padding of ["valid", "same"]) {
              const { shape, layer } = lastLayer(`[${n}, 3]`, `${op}(${k}, stride: ${s}, padding: ${padding})`);
              expect(shape).toEqual([tfLength(n, k, s, 1, padding), 3]);
              expect(layer.flops).toBe(k * tfLength(n, k, s, 1, padding) * 3);
            }
    expect(lastLayer("[9, 3]", "maxpool(2)").shape).toEqual([4, 3]);
  });

  it("take a pair of equal sides as that integer and refuse unequal ones", () => {
    expect(lastLayer("[9, 3]", "maxpool([3, 3], stride: [2, 2])").shape).toEqual([4, 3]);
    expect(codes("[9, 3]", "maxpool([1, 3])")).toEqual(["CNN3080"]);
    expect(codes("[9, 3]", "avgpool(3, padding: [0, 1])")).toEqual(["CNN3080"]);
    expect(codes("[9, 3]", "avgpool(2, padding: 2)")).toEqual(["CNN3013"]);
  });

  it("global pools reduce the length: [n, c] -> [c], n*c FLOPs", () => {
    for (const op of ["global_avgpool", "global_maxpool"]) {
      const { shape, layer } = lastLayer("[9, 5]", op);
      expect(shape).toEqual([5]);
      expect(layer.flops).toBe(45);
    }
  });

  it("flatten, dropout and activations keep a sequence; dense refuses it", () => {
    expect(lastLayer("[9, 5]", "flatten").shape).toEqual([45]);
    for (const op of ["relu", "tanh", "sigmoid", "softmax", "leaky_relu", "dropout(0.5)"]) expect(lastLayer("[9, 5]", op).shape).toEqual([9, 5]);
    expect(codes("[9, 5]", "dense(3)")).toEqual(["CNN3001"]);
  });
});

describe("upsample", () => {
  it("multiplies height and width; FLOPs 0 for nearest and 8 per output element for bilinear", () => {
    const nearest = lastLayer("[5, 3, 2]", "upsample");
    expect(nearest.shape).toEqual([10, 6, 2]);
    expect(nearest.layer.flops).toBe(0);
    expect(nearest.layer.attrs).toEqual({ size: [2, 2], interpolation: "nearest" });
    const bilinear = lastLayer("[5, 3, 2]", "upsample(size: [3, 2], interpolation: bilinear)");
    expect(bilinear.shape).toEqual([15, 6, 2]);
    expect(bilinear.layer.flops).toBe(8 * 15 * 6 * 2);
  });

  it("refuses sequences, vectors, a zero size and an unknown interpolation", () => {
    expect(codes("[8, 2]", "upsample")).toEqual(["CNN3001"]);
    expect(codes("[8]", "upsample")).toEqual(["CNN3001"]);
    expect(codes("[4, 4, 1]", "upsample(size: 0)")).toEqual(["CNN2014"]);
    expect(codes("[4, 4, 1]", "upsample(interpolation: cubic)")).toEqual(["CNN2013"]);
  });
});
