// The batch block of the wasm target's f32x4 builds (BlockKernel in src/emit/kernels/types.ts):
// dense's kernel and bias gradients summed over a block of B samples as one product. Checked
// against the f64 TypeScript build's analytic gradients (themselves checked against central
// differences in gradcheck.test.ts) for batches of 1, B - 1, B, B + 1 and 2B + 3 samples (no
// block, one partial block, one full block, a full and a partial one, two full and a partial),
// dense layers of 1..9 units (every tail width of the partial last vector, the block slots'
// padding), inputs of 3..11 values, frozen layers (no block: their backward only carries dx),
// and against central differences themselves; fit is deterministic. The block takes only large
// kernel gradients by default (BLOCK_MIN_GRADIENT in src/options.ts: where it pays), so these
// tests lower that bound to 0 (`batchBlockMin`), and check the rule itself.
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { BATCH_BLOCK, BLOCK_MIN_GRADIENT } from "../src/options.js";
import { batchFor, gradcheckWasmF32, relativeError, rng } from "./helpers/gradcheck.js";
import { importTypeScript } from "./helpers/load.js";

const B = BATCH_BLOCK;
const batches = [1, B - 1, B, B + 1, 2 * B + 3];

/** A two-dense model with `u` units in the first layer on `k` inputs; `frozen` freezes it. */
const source = (u: number, k: number, frozen = false): string => `model M {
  input x: [${k}]
  h = x |> dense(${u}${frozen ? ", trainable: false" : ""}) |> relu
  y = h |> dense(${(u % 3) + 2})
  train { loss mse(y) optimizer sgd(lr: 0.05) }
}`;

async function load(src: string, options: object): Promise<{ Model: any; code: string }> {
  const result = await compile(src, { format: false, inputGradient: true, ...options });
  if (!result.code) throw new Error("does not compile");
  return { Model: Object.values(await importTypeScript(result.code))[0], code: result.code };
}

describe(`the batch block (B = ${B}) against the f64 TypeScript build`, () => {
  const cases = Array.from({ length: 9 }, (_, i) => ({ u: i + 1, k: 3 + i, frozen: false }));
  cases.push({ u: 5, k: 7, frozen: true }, { u: 8, k: 4, frozen: true });
  it.each(cases.map((c) => [`units=${c.u} on ${c.k} inputs${c.frozen ? ", frozen" : ""}`, c] as const))("%s", async (_, { u, k, frozen }) => {
    const src = source(u, k, frozen);
    const [ref, wasm] = await Promise.all([load(src, { precision: "f64" }), load(src, { precision: "f32", target: "wasm", batchBlock: B, batchBlockMin: 0 })]);
    // the blocked path is the one taken: the frozen first layer keeps its per-sample kernel
    expect(wasm.code).toContain("blockProducts(");
    expect((wasm.code.match(/private bwd\d+\(slot: number\)/g) ?? []).length).toBe(frozen ? 1 : 2);
    const f32 = new wasm.Model({ seed: 3 });
    const f64 = new ref.Model({ seed: 3 });
    f64.setWeights(f32.getWeights().map((w: { name: string; data: Float32Array }) => ({ ...w, data: Float64Array.from(w.data) })));
    for (const n of batches) {
      const batch = batchFor(ref.Model, "mse", n, 11 + n);
      const xs = Float64Array.from(Float32Array.from(batch.xs));
      const ts = Float32Array.from(batch.ts as Float64Array);
      const lossRef = f64.computeGradients(xs, Float64Array.from(ts), n);
      const loss = f32.computeGradients(Float32Array.from(xs), ts, n);
      expect(Math.abs(loss - lossRef), `loss, n=${n}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(lossRef)));
      const [gw, gr] = [f32.getGradients(), f64.getGradients()];
      gr.forEach((g: { name: string; data: Float64Array }, i: number) => expect(relativeError(gw[i].data, g.data), `${g.name}, n=${n}`).toBeLessThan(1e-4));
      expect(relativeError(f32.getInputGradients(), f64.getInputGradients()), `input gradient, n=${n}`).toBeLessThan(1e-4);
      // a frozen layer's gradient stays zero (its backward adds none, nor does any block)
      if (frozen) expect(Array.from(gw[0].data).every((v) => v === 0)).toBe(true);
    }
  });
});

describe("where the batch block is", () => {
  it("takes layers whose kernel gradient has BLOCK_MIN_GRADIENT floats or more, on the f32x4 builds only", async () => {
    // 4,096 x 32 = BLOCK_MIN_GRADIENT floats: taken by default; 4,095 x 32 is one row short
    const big = (k: number): string => `model M {\n  input x: [${k}]\n  y = x |> dense(32)\n  train { loss mse(y) optimizer sgd(lr: 0.05) }\n}`;
    expect(4096 * 32).toBe(BLOCK_MIN_GRADIENT);
    expect((await load(big(4096), { precision: "f32", target: "wasm" })).code).toContain("blockProducts(");
    expect((await load(big(4095), { precision: "f32", target: "wasm" })).code).not.toContain("blockProducts(");
    expect((await load(big(4096), { precision: "f32", target: "wasm", batchBlock: 1 })).code).not.toContain("blockProducts(");
    // the default build's block on that layer agrees with the f64 TypeScript build (a full block and a partial one)
    const [ref, wasm] = await Promise.all([load(big(4096), { precision: "f64" }), load(big(4096), { precision: "f32", target: "wasm" })]);
    const [f32, f64] = [new wasm.Model({ seed: 2 }), new ref.Model({ seed: 2 })];
    f64.setWeights(f32.getWeights().map((w: { name: string; data: Float32Array }) => ({ ...w, data: Float64Array.from(w.data) })));
    const n = B + 3;
    const batch = batchFor(ref.Model, "mse", n, 5);
    const xs = Float64Array.from(Float32Array.from(batch.xs));
    const ts = Float32Array.from(batch.ts as Float64Array);
    f64.computeGradients(xs, Float64Array.from(ts), n);
    f32.computeGradients(Float32Array.from(xs), ts, n);
    const [gw, gr] = [f32.getGradients(), f64.getGradients()];
    gr.forEach((g: { name: string; data: Float64Array }, i: number) => expect(relativeError(gw[i].data, g.data), g.name).toBeLessThan(1e-4));
    const src = source(6, 8);
    expect((await load(src, { precision: "f32", target: "wasm" })).code).not.toContain("blockProducts(");
    expect((await load(src, { precision: "f32", target: "ts", batchBlock: B, batchBlockMin: 0 })).code).not.toContain("blockProducts(");
    expect((await load(src, { precision: "f32", target: "wasm", vectorKernels: false, batchBlock: B, batchBlockMin: 0 })).code).not.toContain("blockProducts(");
    expect((await load(src, { precision: "f64", target: "wasm", batchBlock: B, batchBlockMin: 0 })).code).not.toContain("blockProducts(");
    expect((await load(src, { precision: "f32", target: "wasm", batchBlock: B, batchBlockMin: 0 })).code).toContain("blockProducts(");
  });
});

describe("the batch block against central differences", () => {
  it.each([1, B + 1, 2 * B + 3])("units=6 relu after a dense of 7, n=%i", async (n) => {
    const result = await gradcheckWasmF32(`model M {
      input x: [10]
      y = x |> dense(7) |> relu |> dense(6) |> tanh
      train { loss mse(y) optimizer sgd(lr: 0.1) }
    }`, "mse", { n, sample: 24, batchBlock: B, batchBlockMin: 0 });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.gradients).toBeLessThan(1e-4);
  });
});

describe("fit with the batch block", () => {
  it("is deterministic: the same seed gives the same history and weights, bit for bit", async () => {
    const { Model } = await load(source(9, 11), { precision: "f32", target: "wasm", batchBlock: B, batchBlockMin: 0 });
    const n = 3 * B + 5;
    const random = rng(5);
    const xs = Float32Array.from({ length: n * 11 }, () => random() * 2 - 1);
    const ts = Float32Array.from({ length: n * 2 }, () => random()); // dense((9 % 3) + 2) outputs
    const run = () => {
      const net = new Model({ seed: 9 });
      const { history } = net.fit(xs, ts, n, { epochs: 3, batchSize: B + 3, seed: 4 });
      return { losses: history.map((h: { loss: number }) => h.loss), weights: net.getWeights().map((w: { data: Float32Array }) => Array.from(w.data)) };
    };
    const [a, b] = [run(), run()];
    expect(a.losses).toEqual(b.losses);
    expect(a.weights).toEqual(b.weights);
    // and it learns: the last epoch's loss is below the first's
    expect(a.losses.at(-1)).toBeLessThan(a.losses[0]);
  });
});
