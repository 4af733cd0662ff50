// End to end on a sequence: a small keyword-spotting-style 1-D net (causal and dilated conv1d,
// a pool along the sequence, a global pool) learns a synthetic task with trainBatch alone, and
// a small upsampling decoder fits its targets. The task: which of three waveforms (a rising
// ramp, a falling ramp, a spike) is hidden at a random place in a noisy 24-step, 2-channel signal.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";

const source = `
model Spotter {
  input frames: [24, 2]
  features = frames
    |> conv1d(8, kernel: 3, padding: causal) |> relu
    |> conv1d(8, kernel: 3, padding: causal, dilation: 2, groups: 2) |> relu
    |> maxpool(2)
  logits = features |> global_maxpool |> dense(3)
  train { loss softmax_cross_entropy(logits) optimizer adam(lr: 0.02) }
}

model Decoder {
  input code: [3, 3, 2]
  out = code |> upsample(size: 2, interpolation: bilinear) |> conv2d(2, kernel: 3, padding: same) |> upsample |> conv2d(1, kernel: 1)
  train { loss mse(out) optimizer adam(lr: 0.02) }
}
`;

const patterns = [
  [0.2, 0.5, 0.8, 1.1],
  [1.1, 0.8, 0.5, 0.2],
  [0, 1.5, 0, 0],
];

function spotterData(n: number, seed: number): { xs: Float32Array; labels: Int32Array } {
  const r = rng(seed);
  const xs = new Float32Array(n * 48);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const label = Math.floor(r() * 3);
    labels[s] = label;
    for (let i = 0; i < 48; i++) xs[s * 48 + i] = (r() - 0.5) * 0.2;
    const at = Math.floor(r() * 20);
    const channel = Math.floor(r() * 2);
    patterns[label]!.forEach((v, k) => {
      xs[s * 48 + (at + k) * 2 + channel]! += v;
    });
  }
  return { xs, labels };
}

describe("small sequence and upsampling networks learn", () => {
  let mod: Record<string, any>;
  beforeAll(async () => {
    mod = await loadModel(source, { path: "learns-sequence.cnn" });
  }, 60_000);

  it("the hidden-waveform task: loss falls at least 5x within 300 steps, and it generalises", () => {
    const net = new mod.Spotter({ seed: 1 });
    const train = spotterData(96, 2);
    const test = spotterData(96, 3);
    const initial = net.evaluate(train.xs, train.labels, 96).loss;
    let steps = 0;
    let loss = initial;
    while (loss > initial / 5 && steps < 300) {
      net.trainBatch(train.xs, train.labels, 96);
      steps++;
      loss = net.evaluate(train.xs, train.labels, 96).loss;
    }
    expect(loss).toBeLessThanOrEqual(initial / 5);
    expect(net.evaluate(test.xs, test.labels, 96).accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it("the decoder learns a teacher decoder's outputs: loss falls at least 5x in 200 steps", () => {
    // the targets come from the same architecture with other weights, so they can be fitted
    const teacher = new mod.Decoder({ seed: 9 });
    const net = new mod.Decoder({ seed: 4 });
    const r = rng(5);
    const xs = Float32Array.from({ length: 16 * 18 }, () => r() * 2 - 1);
    const ts = teacher.predictBatch(xs, 16);
    const initial = net.evaluate(xs, ts, 16).loss;
    for (let step = 0; step < 200; step++) net.trainBatch(xs, ts, 16);
    expect(net.evaluate(xs, ts, 16).loss).toBeLessThanOrEqual(initial / 5);
  });
});
