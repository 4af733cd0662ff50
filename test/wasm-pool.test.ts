// maxpool's and global_maxpool's f32x4 forward kernels (wasm f32 builds, maxpool-simd.ts) against the scalar wasm
// build (vectorKernels: false) of the same model: the outputs, NaN included, and the input
// gradient (which the argmax routes) bit for bit, on inputs drawn from five values so windows
// hold ties often (the first maximum in window order must win in every lane, as in the scalar
// kernel); over windows, strides, paddings (unrolled and looped windows, windows whose first tap
// can be in the padding) and channel counts 1..9, so every tail of 0-3 scalar channels is hit.
// The f32x4 build's gradients against float64 central differences are in gradcheck.test.ts.
import { describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

const model = (shape: string, pool: string): string => `model M {
  input x: ${shape}
  y = x |> ${pool}
  train { loss mse(y) optimizer sgd(lr: 0.1) }
}`;

interface Case {
  readonly shape: string;
  readonly pool: string;
}

const cases: Case[] = [];
// the attribute space at 8 channels (no tail) and 5 (a tail of 1)
for (const c of [8, 5])
  for (const size of ["2", "3", "[2, 3]"])
    for (const stride of [1, 2, 3])
      for (const padding of ["valid", "same", "1"]) cases.push({ shape: `[7, 8, ${c}]`, pool: `maxpool(${size}, stride: ${stride}, padding: ${padding})` });
// every channel count 1..9, at two geometries (the first tap always in the input, or not)
for (let c = 1; c <= 9; c++) {
  cases.push({ shape: `[6, 6, ${c}]`, pool: "maxpool(2)" });
  cases.push({ shape: `[5, 7, ${c}]`, pool: "maxpool(3, stride: 2, padding: same)" });
}
// a looped window (more taps than are unrolled)
cases.push({ shape: "[9, 9, 6]", pool: "maxpool(8, stride: 1, padding: same)" });
// a sequence
cases.push({ shape: "[11, 6]", pool: "maxpool(3, stride: 2)" });
// global_maxpool's f32x4 kernel, every channel count 1..9, and a single pixel
for (let c = 1; c <= 9; c++) cases.push({ shape: `[5, 3, ${c}]`, pool: "global_maxpool" });
cases.push({ shape: "[1, 1, 8]", pool: "global_maxpool" });

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe("maxpool's f32x4 kernels compute what the scalar wasm kernels compute, ties and NaN included", () => {
  it.each(cases.map((c) => [`${c.pool} on ${c.shape}`, c] as const))("%s", async (_, c) => {
    const source = model(c.shape, c.pool);
    const [vector, scalar] = await Promise.all([
      loadModel(source, { target: "wasm", inputGradient: true }),
      loadModel(source, { target: "wasm", inputGradient: true, vectorKernels: false }),
    ]);
    const [V, S] = [vector.M, scalar.M];
    const [v, s] = [new V({ seed: 3 }), new S({ seed: 3 })];
    const n = 2;
    const r = rng(11);
    const levels = [-1, 0, 0.25, 0.5, 1];
    const xs = Float32Array.from({ length: n * V.inputSize }, () => levels[Math.floor(r() * levels.length)]!);
    const ts = Float32Array.from({ length: n * V.outputSize }, () => r());
    const out = v.predictBatch(xs, n);
    expect(out.length).toBe(n * V.outputSize);
    expect(same(out, s.predictBatch(xs, n))).toBe(true);
    v.computeGradients(xs, ts, n);
    s.computeGradients(xs, ts, n);
    const [gv, gs] = [v.getInputGradients(), s.getInputGradients()];
    expect(gv.some((g: number) => g !== 0)).toBe(true);
    expect(same(gv, gs)).toBe(true);
    // a NaN at a window's first tap propagates, elsewhere it loses: the same in both builds
    const nan = xs.map((x, i) => (i % 7 === 3 ? NaN : x));
    expect(same(v.predictBatch(nan, n), s.predictBatch(nan, n))).toBe(true);
  });
});
