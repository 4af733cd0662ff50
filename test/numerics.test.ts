// Numerics: extreme logits stay finite; --check-numerics names the first layer that is not.
import { describe, expect, it } from "vitest";
import { loadModel } from "./helpers/load.js";
import { targets } from "./helpers/targets.js";

const net = `model N {
  input x: [4]
  h = x |> dense(3, bias: false) as big
  logits = h |> dense(3) as head
  train { loss softmax_cross_entropy(logits) optimizer sgd(lr: 0.1) }
}`;

describe.each(targets)("numerics (--target %s)", (target) => {
  it("softmax cross-entropy with logits of +-1e4 gives a finite loss and finite gradients", async () => {
    const { N } = await loadModel(net, { target });
    const model = new N({ seed: 1 });
    // Identity-like first layer, head scaled so the logits reach +-1e4.
    model.setWeights([
      { name: "big.kernel", shape: [4, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] },
      { name: "head.kernel", shape: [3, 3], data: [1e4, 0, 0, 0, -1e4, 0, 0, 0, 0] },
      { name: "head.bias", shape: [3], data: [0, 0, 0] },
    ]);
    const xs = new Float32Array([1, 1, 0, 0, 1, 1, 0, 0]);
    const loss = model.computeGradients(xs, new Int32Array([1, 0]), 2);
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(1e3); // sample 0 bets everything on the wrong class
    for (const g of model.getGradients()) for (const v of g.data) expect(Number.isFinite(v)).toBe(true);
  });

  it("--check-numerics throws at the first layer that produced a NaN or an infinity, naming it and its line", async () => {
    const { N } = await loadModel(net, { checkNumerics: true, target });
    const model = new N({ seed: 1 });
    expect(() => model.predict(new Float32Array([1, 2, 3, 4]))).not.toThrow();
    const w = model.getWeights();
    w[0].data[0] = 3e38; // f32 overflow in the first layer's sum
    model.setWeights(w);
    expect(() => model.predict(new Float32Array([10, 0, 0, 0]))).toThrow(/layer big \(dense, line 3\) produced Infinity at element 0/);
  });

  it("without --check-numerics the same model has no checks", async () => {
    const { N } = await loadModel(net, { target });
    const model = new N({ seed: 1 });
    const w = model.getWeights();
    w[0].data[0] = 3e38;
    model.setWeights(w);
    expect(() => model.predict(new Float32Array([10, 0, 0, 0]))).not.toThrow();
  });
});
