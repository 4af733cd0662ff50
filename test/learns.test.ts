// End to end: a small seeded conv net learns a small synthetic task with trainBatch alone.
// The task: which quadrant of a noisy 8x8 image holds a bright 2x2 blob.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

const source = `
model Quadrants {
  input image: [8, 8, 1]
  features = image |> conv2d(6, kernel: 3, padding: same) |> relu |> maxpool(2)
  logits = features |> flatten |> dense(4)
  train {
    loss softmax_cross_entropy(logits)
    optimizer adam(lr: 0.01)
  }
}
`;

/** n images with a blob in a random quadrant (label 0..3: top-left, top-right, bottom-left, bottom-right). */
function quadrantData(n: number, seed: number): { xs: Float32Array; labels: Int32Array } {
  const r = rng(seed);
  const xs = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const label = Math.floor(r() * 4);
    labels[s] = label;
    for (let i = 0; i < 64; i++) xs[s * 64 + i] = r() * 0.2;
    // The blob's top-left corner anywhere that keeps the whole 2x2 blob inside its quadrant.
    const top = (label >> 1) * 4 + Math.floor(r() * 3);
    const left = (label & 1) * 4 + Math.floor(r() * 3);
    for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) xs[s * 64 + (top + dy) * 8 + left + dx] = 1;
  }
  return { xs, labels };
}

describe("a small network learns", () => {
  let Quadrants: any;
  beforeAll(async () => {
    ({ Quadrants } = await loadModel(source, { path: "quadrants.cnn", format: false }));
  }, 60_000);

  it("the blob-quadrant task: loss falls at least 10x in a bounded number of steps, and it generalises", () => {
    const net = new Quadrants({ seed: 1 });
    const train = quadrantData(64, 2);
    const test = quadrantData(64, 3);
    const initial = net.evaluate(train.xs, train.labels, 64).loss;
    let steps = 0;
    let loss = initial;
    // Full-batch Adam; the bound keeps the test fast and fails it if learning stalls.
    while (loss > initial / 10 && steps < 200) {
      net.trainBatch(train.xs, train.labels, 64);
      steps++;
      loss = net.evaluate(train.xs, train.labels, 64).loss;
    }
    expect(initial).toBeGreaterThan(1);
    expect(loss).toBeLessThanOrEqual(initial / 10);
    expect(steps).toBeLessThan(200);
    expect(net.evaluate(test.xs, test.labels, 64).accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
