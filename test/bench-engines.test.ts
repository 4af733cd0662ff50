// The benchmark's newer engines on a small network: the ONNX model written from cnnc's weights
// gives cnnc's outputs in onnxruntime-web and onnxruntime-node, and the wasm SIMD peak kernel does
// the multiply-adds it is credited with. Nothing here is timed.
import { describe, expect, it } from "vitest";
import type { Arch } from "../bench/arch.js";
import { inputSize } from "../bench/arch.js";
import { createOrtNodeEngine } from "../bench/engines/ort-node.js";
import { createOrtWebEngine } from "../bench/engines/ort-web.js";
import { noTraining } from "../bench/engines/ort.js";
import { convKernelToOihw, denseRowsHwcToChw } from "../bench/onnx/layout.js";
import { randomInputs, withRandomBiases } from "../bench/random.js";
import { maxAbsDiff } from "../bench/stats.js";
import { candidateTiles, prepareWasmPeak, prepareWasmPeaks } from "../bench/wasm-peak.js";
import { loadModel } from "./helpers/load.js";

// Both paddings, an even kernel under "same" (its extra zero goes after), pooling, a flatten of a
// [2, 2, 4] tensor (HWC and CHW orders differ) and two dense layers.
const source = `model Small {
  input image: [8, 8, 2]
  logits: [3] = image
    |> conv2d(3, kernel: 2, padding: same) |> relu
    |> maxpool(2)
    |> conv2d(4, kernel: 3) |> relu
    |> flatten
    |> dense(5) |> relu
    |> dense(3)
  output probs = logits |> softmax
  train {
    loss softmax_cross_entropy(logits)
    optimizer sgd(lr: 0.1)
  }
}
`;

const arch: Arch = {
  inputShape: [8, 8, 2],
  layers: [
    { kind: "conv2d", filters: 3, kernel: 2, padding: "same", relu: true },
    { kind: "maxpool", size: 2 },
    { kind: "conv2d", filters: 4, kernel: 3, padding: "valid", relu: true },
    { kind: "flatten" },
    { kind: "dense", units: 5, relu: true },
    { kind: "dense", units: 3, relu: false },
  ],
};

describe("layouts", () => {
  it("moves a Keras conv kernel to OIHW and a dense kernel's rows from HWC to CHW order", () => {
    // kernel [kh=1, kw=2, cin=2, cout=3]: the value names its Keras index
    const keras = Array.from({ length: 12 }, (_, i) => i);
    const oihw = convKernelToOihw(keras, [1, 2, 2, 3]);
    // ONNX [o=1, i=0, y=0, x=1] is Keras [y=0, x=1, i=0, o=1] = ((0 * 2 + 1) * 2 + 0) * 3 + 1 = 7
    expect(oihw[((1 * 2 + 0) * 1 + 0) * 2 + 1]).toBe(7);
    expect([...oihw].sort((a, b) => a - b)).toEqual(keras);
    // a [1, 2, 2] tensor flattened: HWC rows (x0c0, x0c1, x1c0, x1c1) become CHW (x0c0, x1c0, x0c1, x1c1)
    expect([...denseRowsHwcToChw([0, 1, 2, 3], 1, [1, 2, 2])]).toEqual([0, 2, 1, 3]);
  });
});

describe("ONNX Runtime engines", () => {
  // one compile for both engines
  let small: Promise<Record<string, any>> | undefined;
  const compiled = () => (small ??= loadModel(source, { precision: "f32" }));

  it.each([
    ["ort-web", createOrtWebEngine],
    ["ort-node", createOrtNodeEngine],
  ] as const)("%s gives cnnc's softmax outputs on cnnc's weights", async (_name, factory) => {
    const module = await compiled();
    const cnnc = new module.Small({ seed: 3 });
    const weights = withRandomBiases(cnnc.getWeights(), 4);
    cnnc.setWeights(weights);
    const n = 3;
    const xs = randomInputs(n * inputSize(arch), 5);
    const expected = Array.from(cnnc.predictBatch(xs, n) as Float32Array);
    const engine = factory({ arch, optimizer: { lr: 0.1, momentum: 0 } });
    await engine.setup(weights);
    const actual = Array.from(await engine.predictBatch(xs, n));
    // one sample alone too: the batch dimension is symbolic
    const first = Array.from(await engine.predictBatch(xs, 1));
    engine.dispose();
    expect(actual).toHaveLength(n * 3);
    expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(first, expected.slice(0, 3))).toBeLessThan(1e-6);
    // the outputs differ between samples, or agreement would prove little
    expect(maxAbsDiff(expected.slice(0, 3), expected.slice(3, 6))).toBeGreaterThan(1e-4);
    expect(() => engine.trainBatch(xs, new Int32Array(n), n)).toThrow(noTraining);
  });
});

describe("wasm SIMD peak kernel", () => {
  it.each(candidateTiles.map((t) => [`${t.rows}x${4 * t.vectors} unrolled ${t.unroll}x`, t] as const))("%s sums every product of its panels", async (_name, tile) => {
    const peak = await prepareWasmPeak(tile);
    const width = 4 * tile.vectors;
    const a = peak.panels.subarray(0, peak.depth * tile.rows);
    const b = peak.panels.subarray(peak.depth * tile.rows);
    // one pass: sum over r, c of sum over k of A[k, r] * B[k, c]
    let expected = 0;
    for (let k = 0; k < peak.depth; k++) for (let r = 0; r < tile.rows; r++) for (let c = 0; c < width; c++) expected += a[k * tile.rows + r]! * b[k * width + c]!;
    expect(peak.call(1)).toBeCloseTo(expected, -1);
    expect(Math.abs(peak.call(1) - expected) / expected).toBeLessThan(1e-5);
    // a second pass accumulates on top of the first
    expect(Math.abs(peak.call(2) - 2 * expected) / expected).toBeLessThan(1e-5);
    expect(peak.measure(0.001).gflops).toBeGreaterThan(0);
  });

  it("reads the peak as the best of the candidates, naming the tile", async () => {
    const read = await prepareWasmPeaks(candidateTiles.slice(0, 2));
    const reading = read(0.002);
    expect(reading.gflops).toBeGreaterThan(0);
    expect(reading.cpuGflops).toBeGreaterThan(0);
    expect(candidateTiles.slice(0, 2)).toContainEqual(reading.tile);
  });
});
