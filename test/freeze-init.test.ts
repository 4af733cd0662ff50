// `init:` and `trainable:` on layers with parameters (LANGUAGE.md, "Options on every layer with
// parameters"): the statistics of every initialiser on a large kernel, Keras' fans from a
// kernel's shape, and frozen layers (no gradient, no optimizer state, weights bit-identical
// after training while the others change). f64 builds.
import { beforeAll, describe, expect, it } from "vitest";
import { defaultOptions } from "../src/options.js";
import { analyze } from "../src/analyze.js";
import { lower } from "../src/ir/lower.js";
import { summarize } from "../src/cli/summary.js";
import { fans } from "../src/ops/init.js";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

const TRUNCATION = 0.87962566103423978;

// [400] -> dense(500): 200,000 values, fan_in 400, fan_out 500
const inits: [string, number, "uniform" | "normal" | "zeros"][] = [
  ["glorot_uniform", 2 / 900, "uniform"],
  ["glorot_normal", 2 / 900, "normal"],
  ["he_uniform", 2 / 400, "uniform"],
  ["he_normal", 2 / 400, "normal"],
  ["lecun_uniform", 1 / 400, "uniform"],
  ["lecun_normal", 1 / 400, "normal"],
  ["zeros", 0, "zeros"],
];

const initProgram = inits
  .map(([init], k) => `model I${k} {\n  input x: [400]\n  y = x |> dense(500, init: ${init})\n}`)
  .join("\n");

describe("initialisers", () => {
  let mod: Record<string, any>;
  beforeAll(async () => {
    mod = await loadModel(initProgram, { precision: "f64" });
  }, 60_000);

  it.each(inits.map((entry, k) => [entry[0], k] as const))("%s: mean, variance and bound of a [400, 500] kernel", (_, k) => {
    const [, variance, distribution] = inits[k]!;
    const weights = new mod[`I${k}`]({ seed: 7 }).getWeights();
    const kernel: Float64Array = weights[0].data;
    const bias: Float64Array = weights[1].data;
    expect(bias.every((v) => v === 0)).toBe(true);
    if (distribution === "zeros") {
      expect(kernel.every((v) => v === 0)).toBe(true);
      return;
    }
    const n = kernel.length;
    const mean = kernel.reduce((s, v) => s + v, 0) / n;
    const measured = kernel.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    const largest = kernel.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // the mean within 5 standard errors of 0, the variance within 2% (its standard error is
    // about 0.3% at this size)
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(variance / n));
    expect(Math.abs(measured / variance - 1)).toBeLessThan(0.02);
    // uniform: within +-sqrt(3 var); truncated normal: within 2 sd of the corrected normal
    const bound = distribution === "uniform" ? Math.sqrt(3 * variance) : (2 * Math.sqrt(variance)) / TRUNCATION;
    expect(largest).toBeLessThanOrEqual(bound);
    expect(largest).toBeGreaterThan(0.995 * bound);
    if (distribution === "normal") {
      // a truncated normal has more mass near 0 than a uniform of the same variance: within one
      // corrected sd lie 0.6827 / 0.9545 of the draws
      const sd = Math.sqrt(variance) / TRUNCATION;
      const inside = kernel.filter((v) => Math.abs(v) <= sd).length / n;
      expect(Math.abs(inside - 0.6827 / 0.9545)).toBeLessThan(0.01);
    }
  });

  it("is seeded: one seed gives identical weights, another different ones", () => {
    const a = new mod.I1({ seed: 1 }).getWeights()[0].data;
    expect(new mod.I1({ seed: 1 }).getWeights()[0].data).toEqual(a);
    expect(new mod.I1({ seed: 2 }).getWeights()[0].data).not.toEqual(a);
  });
});

describe("Keras' fans from a kernel's shape", () => {
  it("dense [in, units], conv2d [kh, kw, c, f], depthwise [kh, kw, c, m], pointwise [1, 1, c*m, f], conv1d [k, c, f]", () => {
    expect(fans([400, 500])).toEqual({ fanIn: 400, fanOut: 500 });
    expect(fans([3, 5, 8, 16])).toEqual({ fanIn: 120, fanOut: 240 });
    expect(fans([3, 3, 8, 2])).toEqual({ fanIn: 72, fanOut: 18 });
    expect(fans([1, 1, 16, 32])).toEqual({ fanIn: 16, fanOut: 32 });
    expect(fans([5, 4, 6])).toEqual({ fanIn: 20, fanOut: 30 });
  });

  it("conv2d's kernel is initialised from them", () => {
    const analysis = analyze("model C {\n  input x: [9, 9, 8]\n  y = x |> conv2d(16, kernel: [3, 5], init: he_normal)\n}", "c.cnn");
    expect(analysis.checked!.models[0]!.params[0]!.init).toEqual({ kind: "he_normal", fanIn: 120, fanOut: 240 });
  });
});

// d1 trains, d2 is frozen in the middle (the gradient must still pass through it to d1), c
// (a frozen conv at the input) gets no backward pass at all.
const frozen = (trainable: string) => `model F {
  input x: [5, 5, 2]
  h = x |> conv2d(3, kernel: 3${trainable}) as c |> relu |> flatten
  y = h |> dense(6) as d1 |> tanh |> dense(5${trainable}) as d2 |> tanh |> dense(3) as d3
  train { loss mse(y) optimizer adam(lr: 0.01, weight_decay: 0.1) }
}`;

function batch(n: number, seed: number): { xs: Float64Array; ts: Float64Array } {
  const r = rng(seed);
  return { xs: Float64Array.from({ length: n * 50 }, () => r() * 2 - 1), ts: Float64Array.from({ length: n * 3 }, () => r() * 2 - 1) };
}

describe("trainable: false", () => {
  let Frozen: any;
  let Free: any;
  beforeAll(async () => {
    Frozen = (await loadModel(frozen(", trainable: false"), { precision: "f64" })).F;
    Free = (await loadModel(frozen(""), { precision: "f64" })).F;
  }, 60_000);

  it("leaves the frozen layers bit-identical through fit, with weight decay on, and changes the others", async () => {
    const net = new Frozen({ seed: 3 });
    const before = net.getWeights().map((w: any) => ({ name: w.name, data: w.data.slice() }));
    const { xs, ts } = batch(12, 1);
    await net.fit(xs, ts, 12, { epochs: 2, batchSize: 4 });
    const after = net.getWeights();
    for (const [k, w] of before.entries()) {
      const frozenLayer = w.name.startsWith("c.") || w.name.startsWith("d2.");
      if (frozenLayer) expect(after[k].data, w.name).toEqual(w.data);
      else expect(after[k].data, w.name).not.toEqual(w.data);
    }
  });

  it("gives zero gradients for the frozen layers and the same gradients as an unfrozen twin for the others", () => {
    const net = new Frozen({ seed: 4 });
    const twin = new Free({ seed: 4 });
    expect(net.getWeights()).toEqual(twin.getWeights());
    const { xs, ts } = batch(3, 2);
    expect(net.computeGradients(xs, ts, 3)).toBe(twin.computeGradients(xs, ts, 3));
    const mine = net.getGradients();
    const theirs = twin.getGradients();
    for (const [k, g] of mine.entries()) {
      if (g.name.startsWith("c.") || g.name.startsWith("d2.")) {
        expect(g.data.every((v: number) => v === 0), g.name).toBe(true);
        expect(theirs[k].data.some((v: number) => v !== 0), g.name).toBe(true);
      } else expect(g.data, g.name).toEqual(theirs[k].data);
    }
  });

  it("keeps no optimizer state for them, and counts them apart", () => {
    const analysis = analyze(frozen(", trainable: false"), "f.cnn");
    const model = analysis.checked!.models[0]!;
    const graph = lower(model, { ...defaultOptions, precision: "f64" }).graph!;
    const trainable = 27 * 6 + 6 + 5 * 3 + 3;
    expect(graph.paramCount).toBe(trainable + 3 * 3 * 2 * 3 + 3 + 6 * 5 + 5);
    expect(graph.plan.stateSize).toBe(trainable);
    expect(graph.plan.stateOffsets).toHaveLength(2);
    // the frozen conv at the input has no backward node; the frozen d2 carries the gradient only
    const backward = graph.train!.backward.map((b) => [graph.nodes[b.node]!.layer.name, b.paramGrads]);
    expect(backward).not.toContainEqual(["c", false]);
    expect(backward).toContainEqual(["d2", false]);
    expect(backward).toContainEqual(["d1", true]);
    const summary = summarize(analysis.checked!, analysis.file)[0]!;
    expect(summary.params).toBe(graph.paramCount);
    expect(summary.trainableParams).toBe(trainable);
    expect(Frozen.paramCount).toBe(graph.paramCount);
  });
});
