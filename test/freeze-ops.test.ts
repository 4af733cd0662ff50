// `trainable: false` on every op with parameters (LANGUAGE.md, "Options on every layer with
// parameters"): the frozen layer's gradients are zeros and `fit` leaves its parameters bit for
// bit, while the trainable layer after it changes. One program per op; the list is checked
// against the registry, so a new op with parameters needs a case here.
import { beforeAll, describe, expect, it } from "vitest";
import { ops } from "../src/ops/index.js";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

// A trainable stem before the frozen layer, so the gradient must pass through it (a frozen
// first layer would need no backward pass at all).
const image = "conv2d(2, kernel: 1) as stem";
const frozen: Record<string, { input: string; stem: string; layer: string }> = {
  conv2d: { input: "[6, 6, 2]", stem: image, layer: "conv2d(4, kernel: 3, trainable: false)" },
  conv2d_groups: { input: "[6, 6, 4]", stem: "conv2d(4, kernel: 1) as stem", layer: "conv2d(4, kernel: 3, groups: 2, trainable: false)" },
  dense: { input: "[6]", stem: "dense(6) as stem", layer: "dense(5, trainable: false)" },
  conv1d: { input: "[9, 3]", stem: "conv1d(3, kernel: 1) as stem", layer: "conv1d(4, kernel: 3, padding: causal, trainable: false)" },
  depthwise_conv2d: { input: "[6, 6, 2]", stem: image, layer: "depthwise_conv2d(kernel: 3, depth_multiplier: 2, trainable: false)" },
  separable_conv2d: { input: "[6, 6, 2]", stem: image, layer: "separable_conv2d(3, kernel: 3, padding: same, trainable: false)" },
  conv2d_transpose: { input: "[3, 3, 2]", stem: image, layer: "conv2d_transpose(2, kernel: 3, stride: 2, trainable: false)" },
  batchnorm: { input: "[6, 6, 2]", stem: image, layer: "batchnorm(trainable: false)" },
};

const name = (key: string): string => `F_${key}`;
const program = Object.entries(frozen)
  .map(([key, c]) => `model ${name(key)} {\n  input x: ${c.input}\n  y = x |> ${c.stem} |> ${c.layer} as frozen |> flatten |> dense(3) as head\n  train { loss mse(y) optimizer adam(lr: 0.05, weight_decay: 0.1) }\n}`)
  .join("\n");

describe("trainable: false on every op with parameters", () => {
  let mod: Record<string, any>;
  beforeAll(async () => {
    mod = await loadModel(program, { precision: "f64", format: false });
  }, 120_000);

  it("covers every op of the registry that has parameters", () => {
    const withParams = Object.values(ops).filter((op) => op.hasParams).map((op) => op.name);
    expect(withParams.filter((op) => !(op in frozen)).sort()).toEqual([]);
  });

  it.each(Object.keys(frozen))("%s: zero gradients, parameters unchanged by fit, the head trained", (key) => {
    const Model = mod[name(key)];
    const net = new Model({ seed: 2 });
    const r = rng(5);
    const n = 4;
    const xs = Float64Array.from({ length: n * Model.inputSize }, () => r() * 2 - 1);
    const ts = Float64Array.from({ length: n * Model.outputSize }, () => r() * 2 - 1);
    const snapshot = (prefix: string) => net.getWeights().filter((w: any) => w.name.startsWith(prefix)).map((w: any) => Array.from(w.data as Float64Array));
    const before = snapshot("frozen.");
    const headBefore = snapshot("head.");
    const stemBefore = snapshot("stem.");
    net.computeGradients(xs, ts, n);
    const grads = net.getGradients().filter((g: any) => g.name.startsWith("frozen."));
    expect(grads.length).toBeGreaterThan(0);
    for (const g of grads) expect(Array.from(g.data as Float64Array).every((v) => v === 0), g.name).toBe(true);
    net.fit(xs, ts, n, { epochs: 3, batchSize: 2, seed: 1 });
    expect(snapshot("frozen.")).toEqual(before);
    expect(snapshot("head.")).not.toEqual(headBefore);
    // the gradient went through the frozen layer to the stem
    expect(snapshot("stem.")).not.toEqual(stemBefore);
  });
});
