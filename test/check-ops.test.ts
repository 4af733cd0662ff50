// Each op's shape rule, parameters, initialisers and FLOPs, checked from source text.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { CheckedModel, Layer } from "../src/check/types.js";

function checkedModel(source: string): CheckedModel {
  const analysis = analyze(source);
  if (!analysis.checked) throw new Error(analysis.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return analysis.checked.models[0]!;
}

/** The last layer of `out = x |> <pipeline>` on an input `x: <input>`, with its output shape. */
function lastLayer(input: string, pipeline: string): { layer: Layer; shape: readonly number[]; model: CheckedModel } {
  const model = checkedModel(`model T {\n  input x: ${input}\n  out = x |> ${pipeline}\n}`);
  const layer = model.layers[model.layers.length - 1]!;
  return { layer, shape: model.tensors[layer.output]!.shape, model };
}

function errorCodes(source: string): string[] {
  return analyze(source).diagnostics.map((d) => d.code);
}

// TensorFlow's documented forms, written independently of src/check/window.ts
const tfValid = (n: number, k: number, s: number, d: number): number => Math.ceil((n - (k - 1) * d) / s);
const tfSame = (n: number, s: number): number => Math.ceil(n / s);
const tfExplicit = (n: number, k: number, s: number, d: number, p: number): number => Math.ceil((n + 2 * p - (k - 1) * d) / s);

describe("conv2d", () => {
  it("follows TensorFlow's output size for odd and even inputs, strides 1-3, dilations 1-2, each padding", () => {
    for (const n of [7, 8])
      for (const k of [1, 2, 3])
        for (const s of [1, 2, 3])
          for (const d of [1, 2])
            for (const padding of ["valid", "same", "1"]) {
              const { shape } = lastLayer(
                `[${n}, ${n + 1}, 2]`,
                `conv2d(5, kernel: ${k}, stride: ${s}, dilation: ${d}, padding: ${padding})`,
              );
              const size = (m: number): number =>
                padding === "valid" ? tfValid(m, k, s, d) : padding === "same" ? tfSame(m, s) : tfExplicit(m, k, s, d, 1);
              expect(shape, `n=${n} k=${k} s=${s} d=${d} ${padding}`).toEqual([size(n), size(n + 1), 5]);
            }
  });

  it("resolves same padding with the extra cell at the bottom and right", () => {
    const { layer } = lastLayer("[8, 7, 1]", "conv2d(1, kernel: 4, stride: 2, padding: same)");
    if (layer.op !== "conv2d") throw new Error("expected conv2d");
    // height: out 4, total (4-1)*2+4-8 = 2 -> 1/1; width: out 4, total 3*2+4-7 = 3 -> 1/2
    expect(layer.attrs.padding).toEqual({ top: 1, bottom: 1, left: 1, right: 2 });
  });

  it("takes [h, w] pairs for kernel, stride, dilation and padding", () => {
    const { layer, shape } = lastLayer("[10, 12, 3]", "conv2d(4, kernel: [3, 5], stride: [1, 2], dilation: [2, 1], padding: [1, 0])");
    expect(shape).toEqual([tfExplicit(10, 3, 1, 2, 1), tfExplicit(12, 5, 2, 1, 0), 4]);
    expect(layer.attrs).toEqual({
      filters: 4,
      kernel: [3, 5],
      stride: [1, 2],
      dilation: [2, 1],
      padding: { top: 1, bottom: 1, left: 0, right: 0 },
      bias: true,
      init: "glorot_uniform",
      trainable: true,
    });
  });

  it("has a Glorot kernel [kh, kw, in, filters], a zero bias and counts FLOPs", () => {
    const { layer, model } = lastLayer("[6, 6, 3]", "conv2d(8, kernel: [3, 2])");
    const [kernel, bias] = layer.params.map((i) => model.params[i]!);
    expect(kernel).toMatchObject({ role: "kernel", shape: [3, 2, 3, 8], init: { kind: "glorot_uniform", fanIn: 18, fanOut: 48 } });
    expect(bias).toMatchObject({ role: "bias", shape: [8], init: { kind: "zeros" } });
    const positions = 4 * 5 * 8;
    expect(layer.flops).toBe(2 * 3 * 2 * 3 * positions + positions);
  });

  it("drops the bias with bias: false", () => {
    const { layer, model } = lastLayer("[6, 6, 3]", "conv2d(8, 3, bias: false)");
    expect(layer.params.map((i) => model.params[i]!.role)).toEqual(["kernel"]);
    expect(layer.flops).toBe(2 * 9 * 3 * 8 * 16);
  });

  it("rejects a kernel larger than its padded input, and a non-image input", () => {
    expect(errorCodes("model T {\n  input x: [4, 4, 1]\n  y = x |> conv2d(2, kernel: 5)\n}")).toEqual(["CNN3002"]);
    expect(errorCodes("model T {\n  input x: [4, 4, 1]\n  y = x |> conv2d(2, kernel: 3, dilation: 2)\n}")).toEqual(["CNN3002"]);
    expect(errorCodes("model T {\n  input x: [4, 4, 1]\n  y = x |> conv2d(2, kernel: 5, padding: 1)\n}")).toEqual([]);
    expect(errorCodes("model T {\n  input x: [4, 4, 1]\n  y = x |> conv2d(2, kernel: 5, padding: same)\n}")).toEqual([]);
    expect(errorCodes("model T {\n  input x: [16]\n  y = x |> conv2d(2, kernel: 1)\n}")).toEqual(["CNN3001"]);
  });
});

describe("pools", () => {
  it("default the stride to the window size", () => {
    expect(lastLayer("[9, 8, 3]", "maxpool(2)").shape).toEqual([4, 4, 3]);
    expect(lastLayer("[9, 8, 3]", "avgpool([3, 2])").shape).toEqual([3, 4, 3]);
    const { layer } = lastLayer("[9, 8, 3]", "maxpool(3, stride: 1, padding: same)");
    expect(layer.attrs).toEqual({ size: [3, 3], stride: [1, 1], padding: { top: 1, bottom: 1, left: 1, right: 1 } });
  });

  it("follow TensorFlow's output size", () => {
    for (const n of [5, 6, 7])
      for (const k of [1, 2, 3])
        for (const s of [1, 2, 3])
          for (const padding of ["valid", "same", "1"]) {
            if (padding === "1" && k === 1) continue;
            const { shape } = lastLayer(`[${n}, ${n}, 2]`, `avgpool(${k}, stride: ${s}, padding: ${padding})`);
            const size = padding === "valid" ? tfValid(n, k, s, 1) : padding === "same" ? tfSame(n, s) : tfExplicit(n, k, s, 1, 1);
            expect(shape, `n=${n} k=${k} s=${s} ${padding}`).toEqual([size, size, 2]);
          }
  });

  it("count one FLOP per window cell per output element and have no parameters", () => {
    const { layer } = lastLayer("[8, 8, 3]", "maxpool(2)");
    expect(layer.flops).toBe(4 * 4 * 4 * 3);
    expect(layer.params).toEqual([]);
  });

  it("reject padding above half the window and windows larger than the input", () => {
    expect(errorCodes("model T {\n  input x: [8, 8, 1]\n  y = x |> maxpool(2, padding: 2)\n}")).toEqual(["CNN3013"]);
    expect(errorCodes("model T {\n  input x: [8, 8, 1]\n  y = x |> maxpool(3, padding: 1)\n}")).toEqual([]);
    expect(errorCodes("model T {\n  input x: [2, 8, 1]\n  y = x |> avgpool(3)\n}")).toEqual(["CNN3002"]);
  });

  it("global pools reduce [h, w, c] to [c]", () => {
    expect(lastLayer("[5, 7, 6]", "global_avgpool").shape).toEqual([6]);
    const { layer, shape } = lastLayer("[5, 7, 6]", "global_maxpool");
    expect(shape).toEqual([6]);
    expect(layer.flops).toBe(5 * 7 * 6);
    expect(errorCodes("model T {\n  input x: [8]\n  y = x |> global_avgpool\n}")).toEqual(["CNN3001"]);
  });
});

describe("flatten and dense", () => {
  it("flatten gives [product] and costs nothing", () => {
    const { layer, shape } = lastLayer("[5, 4, 3]", "flatten");
    expect(shape).toEqual([60]);
    expect(layer.flops).toBe(0);
  });

  it("dense has a Glorot kernel [in, units], a zero bias and 2*in*units + units FLOPs", () => {
    const { layer, shape, model } = lastLayer("[20]", "dense(7)");
    expect(shape).toEqual([7]);
    expect(layer.params.map((i) => model.params[i])).toMatchObject([
      { name: "out.kernel", shape: [20, 7], init: { kind: "glorot_uniform", fanIn: 20, fanOut: 7 } },
      { name: "out.bias", shape: [7], init: { kind: "zeros" } },
    ]);
    expect(layer.flops).toBe(2 * 20 * 7 + 7);
    expect(lastLayer("[20]", "dense(7, bias: false)").layer.flops).toBe(2 * 20 * 7);
  });

  it("dense on an image asks for flatten or a global pool", () => {
    const [diagnostic] = analyze("model T {\n  input x: [4, 4, 2]\n  y = x |> dense(3)\n}").diagnostics;
    expect(diagnostic).toMatchObject({ code: "CNN3001", help: "insert `|> flatten` or `|> global_avgpool` before `dense`" });
    expect(diagnostic!.notes[0]!.message).toBe("the input 'x' was declared here, with shape [4, 4, 2]");
  });
});

describe("element-wise ops", () => {
  it("keep the shape; activations cost one FLOP per element, dropout none", () => {
    for (const op of ["relu", "relu()", "sigmoid", "tanh", "softmax", "leaky_relu", "leaky_relu(0.2)", "dropout(0.5)"]) {
      const { layer, shape } = lastLayer("[3, 4, 5]", op);
      expect(shape, op).toEqual([3, 4, 5]);
      expect(layer.flops, op).toBe(op.startsWith("dropout") ? 0 : 60);
    }
  });

  it("fill defaults and keep given values", () => {
    expect(lastLayer("[3]", "leaky_relu").layer.attrs).toEqual({ alpha: 0.01 });
    expect(lastLayer("[3]", "leaky_relu(alpha: 0.3)").layer.attrs).toEqual({ alpha: 0.3 });
    expect(lastLayer("[3]", "dropout(rate: 0.25)").layer.attrs).toEqual({ rate: 0.25 });
  });
});

describe("add and concat", () => {
  const twoBranches = "  input x: [6, 6, 2]\n  a = x |> conv2d(4, 1)\n  b = x |> conv2d(3, 1)\n  c = x |> conv2d(4, 3, padding: same)\n";

  it("add takes tensors of one shape, as a source or through |>", () => {
    const source = checkedModel(`model T {\n${twoBranches}  y = add(a, c)\n}`);
    const piped = checkedModel(`model T {\n${twoBranches}  y = a |> add(c)\n}`);
    for (const model of [source, piped]) {
      const layer = model.layers[model.layers.length - 1]!;
      expect(layer.op).toBe("add");
      // by binding: `b` reaches nothing, so it is left out of the checked model (CNN4001)
      const output = (binding: string) => model.layers.find((l) => l.binding === binding)!.output;
      expect(layer.inputs).toEqual([output("a"), output("c")]);
      expect(model.layers.some((l) => l.binding === "b")).toBe(false);
      expect(model.tensors[layer.output]!.shape).toEqual([6, 6, 4]);
      expect(layer.flops).toBe(6 * 6 * 4);
    }
  });

  it("concat sums the last axis", () => {
    const model = checkedModel(`model T {\n${twoBranches}  y = concat(a, b, c)\n}`);
    expect(model.tensors[model.output]!.shape).toEqual([6, 6, 11]);
    const vectors = checkedModel("model T {\n  input x: [4]\n  a = x |> dense(3)\n  y = x |> concat(a)\n}");
    expect(vectors.tensors[vectors.output]!.shape).toEqual([7]);
  });

  it("reject mismatched shapes and fewer than two tensors", () => {
    expect(errorCodes(`model T {\n${twoBranches}  y = add(a, b)\n}`)).toEqual(["CNN3003"]);
    expect(errorCodes(`model T {\n${twoBranches}  f = x |> flatten\n  y = concat(a, f)\n}`)).toEqual(["CNN3004"]);
    expect(errorCodes(`model T {\n${twoBranches}  p = x |> maxpool(2) |> conv2d(4, 1)\n  y = concat(a, p)\n}`)).toEqual(["CNN3004"]);
    expect(errorCodes(`model T {\n${twoBranches}  y = add(a)\n}`)).toEqual(["CNN2016"]);
    expect(errorCodes(`model T {\n${twoBranches}  y = a |> concat()\n}`)).toEqual(["CNN2016"]);
    expect(errorCodes(`model T {\n${twoBranches}  y = add(a, 3)\n}`)).toEqual(["CNN2012"]);
  });
});
