// f32 builds keep a Float64Array arena and round every store to float32 (src/emit/round.ts).
// The claim is that this changes speed only: every loss, prediction, gradient and weight is the
// same bit for bit as with a Float32Array arena. Checked here on the examples and on random
// networks over every op (STORAGE_COUNT of them, from FUZZ_SEED), through several training
// steps of each network's own optimizer.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { importTypeScript } from "./helpers/load.js";
import { generateNetwork } from "./diff/generate.js";
import { printNetwork } from "./diff/print.js";
import { Rng } from "./diff/random.js";
import { randomBatch } from "./diff/targets.js";
import { fuzzSeed } from "./diff/settings.js";
import type { LossKind } from "./diff/network.js";

const count = Number(process.env.STORAGE_COUNT ?? 40);

type Model = Record<string, any>;
type ModelClass = (new (options: { seed: number }) => Model) & { inputSize: number; outputSize: number };

async function classes(source: string, float32Arena: boolean): Promise<ModelClass[]> {
  const result = await compile(source, { format: false, float32Arena });
  if (!result.code) throw new Error(JSON.stringify(result.diagnostics));
  return Object.values(await importTypeScript(result.code)).filter((v) => typeof v === "function" && "inputSize" in v) as ModelClass[];
}

/** Index of the first element that differs bit for bit (NaNs of any payload are equal), or -1. */
function firstDifference(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

function expectSame(what: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  const at = firstDifference(x, y);
  expect(at, `${what}: element ${at} is ${x[at]} with the Float64Array arena, ${y[at]} with the Float32Array arena`).toBe(-1);
}

function expectSameWeights(what: string, fast: Model, reference: Model, method: "getWeights" | "getGradients"): void {
  const a = fast[method]() as { name: string; data: Float32Array }[];
  const b = reference[method]() as { name: string; data: Float32Array }[];
  expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name));
  a.forEach((w, i) => {
    expect(w.data).toBeInstanceOf(Float32Array);
    expectSame(`${what} ${method} ${w.name}`, w.data, b[i]!.data);
  });
}

/** Trains (when the model can) and predicts with both builds side by side. */
function compareRuns(what: string, Fast: ModelClass, Reference: ModelClass, loss: LossKind | null, seed: number): void {
  const fast = new Fast({ seed });
  const reference = new Reference({ seed });
  const rng = new Rng(seed);
  expectSameWeights(`${what} initial`, fast, reference, "getWeights");
  if (loss !== null && typeof fast.trainBatch === "function") {
    for (let step = 0; step < 3; step++) {
      const batch = randomBatch(rng, loss, Fast.inputSize, Fast.outputSize);
      const l1 = fast.trainBatch(batch.xs, batch.targets.cnnc, batch.n);
      const l2 = reference.trainBatch(batch.xs, batch.targets.cnnc, batch.n);
      expect(Object.is(l1, l2), `${what} step ${step}: loss ${l1} vs ${l2}`).toBe(true);
    }
    expectSameWeights(`${what} trained`, fast, reference, "getWeights");
    expectSameWeights(`${what} trained`, fast, reference, "getGradients");
  }
  // float64 inputs, which the load into the arena must round as a Float32Array would
  const xs = Float64Array.from(rng.floats(2 * Fast.inputSize, -1, 1), (v) => v + 1e-9);
  const p = fast.predictBatch(xs, 2);
  expect(p).toBeInstanceOf(Float32Array);
  expectSame(`${what} predictBatch`, p, reference.predictBatch(xs, 2));
  expectSame(`${what} predict`, fast.predict(xs.subarray(0, Fast.inputSize)), reference.predict(xs.subarray(0, Fast.inputSize)));
}

describe("a Float64Array arena with rounded stores computes what a Float32Array arena does", () => {
  for (const name of ["lenet", "residual", "inception"]) {
    it(`examples/${name}.cnn`, async () => {
      const source = readFileSync(`examples/${name}.cnn`, "utf8");
      const [fast, reference] = await Promise.all([classes(source, false), classes(source, true)]);
      compareRuns(name, fast[0]!, reference[0]!, "softmax_cross_entropy", 11);
    });
  }

  it(`${count} random networks over every op (FUZZ_SEED=${fuzzSeed})`, async () => {
    for (let i = 0; i < count; i++) {
      const net = generateNetwork(fuzzSeed + i);
      const { source } = printNetwork(net);
      const [fast, reference] = await Promise.all([classes(source, false), classes(source, true)]);
      expect(fast.length).toBe(reference.length);
      fast.forEach((Fast, k) => compareRuns(`seed ${fuzzSeed + i} model ${k}\n${source}\n`, Fast, reference[k]!, net.train?.loss ?? null, fuzzSeed + i));
    }
  }, 120_000);
});

describe("every store to the arena of an f32 build is rounded", () => {
  // Compound stores must all have been rewritten; a plain store may skip the rounding only when
  // its value is float32 already (zero, an infinity, a copy of another arena element).
  // (a read is asserted with `!`, which a compound store carries too)
  const compound = /(?:^|[;{}\s)])(?:this\.)?a\[[^\]]*\]!?\s*(?:\+=|-=|\*=)/;
  for (const name of ["lenet", "cifar", "residual", "inception"]) {
    it(`examples/${name}.cnn`, async () => {
      const result = await compile(readFileSync(`examples/${name}.cnn`, "utf8"), { format: true });
      const code = result.code!;
      expect(code).toContain("new Float64Array(");
      expect(code).toContain("Math.fround(");
      const lines = code.split("\n");
      expect(lines.filter((l) => compound.test(l))).toEqual([]);
      const plain = lines.filter((l) => /^\s*(?:this\.)?a\[[^\]]*\] = /.test(l));
      const unrounded = plain.filter((l) => !/ = (Math\.fround\(|0;|-Infinity;|a\[[^\]]*\]!?;)/.test(l));
      expect(unrounded).toEqual([]);
    });
  }
});
