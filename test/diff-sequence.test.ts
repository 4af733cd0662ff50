// The differential harness's own layers for conv1d and upsample (test/diff/conv1d.ts,
// test/diff/upsample.ts), checked against tfjs where tfjs is right, and the tfjs behaviours
// that made them necessary, so a tfjs upgrade that fixes one shows up here.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { compareArrays, float32Tolerance } from "./diff/compare.js";
import { conv1dPadding, Pad1d, TapConv1d } from "./diff/conv1d.js";
import { HalfPixelBilinear, interpolationMatrix, NearestRepeat } from "./diff/upsample.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const agree = (a: tf.Tensor, b: tf.Tensor): boolean => compareArrays(a.dataSync(), b.dataSync(), float32Tolerance).ratio <= 1;
const wave = (shape: number[], phase = 1): tf.Tensor => tf.tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(i * 0.7 + phase)), shape);

/** A TapConv1d with the given kernel (and bias) loaded. */
function taps(kernel: tf.Tensor, bias: tf.Tensor | null, x: tf.Tensor, o: { stride: number; dilation: number; padding: "valid" | "same" | "causal" | number; groups: number }): tf.Tensor {
  const [k, , filters] = kernel.shape as [number, number, number];
  const [before, after] = conv1dPadding(x.shape[1]!, k, o.stride, o.dilation, o.padding);
  const layer = new TapConv1d({ filters, kernel: k, stride: o.stride, dilation: o.dilation, before, after, groups: o.groups, bias: bias !== null });
  layer.build(x.shape);
  layer.setWeights(bias ? [kernel, bias] : [kernel]);
  return layer.apply(x) as tf.Tensor;
}

describe("the conv1d oracle", () => {
  it("tfjs' conv1d layer refuses causal padding, and its gradient refuses dilation", () => {
    const s = wave([1, 10, 3]);
    expect(() => tfl.layers.conv1d({ filters: 2, kernelSize: 3, padding: "causal" }).apply(s)).toThrow(/CAUSAL/i);
    const kernel = wave([3, 3, 2], 2) as tf.Tensor3D;
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.conv1d(t as tf.Tensor3D, kernel, 1, "valid", "NWC", 2)))(s)).toThrow(/dilation/);
  });

  it("TapConv1d equals tfjs' conv1d for every stride, valid and same padding and dilation", () => {
    const x = wave([2, 11, 3]);
    const kernel = wave([3, 3, 4], 3);
    const bias = wave([4], 4);
    // tfjs' conv1d takes stride > 1 or dilation > 1, not both: there, the dilated kernel is
    // written out with a zero between its taps
    const spread = tf.concat([tf.slice(kernel, [0, 0, 0], [1, 3, 4]), tf.zeros([1, 3, 4]), tf.slice(kernel, [1, 0, 0], [1, 3, 4]), tf.zeros([1, 3, 4]), tf.slice(kernel, [2, 0, 0], [1, 3, 4])], 0);
    expect(() => tf.conv1d(x as tf.Tensor3D, kernel as tf.Tensor3D, 2, "valid", "NWC", 2)).toThrow(/stride or dilation/);
    for (const stride of [1, 2, 3])
      for (const dilation of [1, 2])
        for (const padding of ["valid", "same"] as const) {
          const both = stride > 1 && dilation > 1;
          const conv = tf.conv1d(x as tf.Tensor3D, (both ? spread : kernel) as tf.Tensor3D, stride, padding, "NWC", both ? 1 : dilation);
          const want = tf.add(conv, bias);
          expect(agree(taps(kernel, bias, x, { stride, dilation, padding, groups: 1 }), want), `s=${stride} d=${dilation} ${padding}`).toBe(true);
        }
  });

  it("causal is a left pad of d*(k-1) before a valid conv: output t sees inputs up to t only", () => {
    const x = wave([1, 9, 2]);
    const kernel = wave([3, 2, 2], 5);
    const y = taps(kernel, null, x, { stride: 1, dilation: 2, padding: "causal", groups: 1 });
    const padded = new Pad1d(4, 0).apply(x) as tf.Tensor;
    expect(agree(y, tf.conv1d(padded as tf.Tensor3D, kernel as tf.Tensor3D, 1, "valid", "NWC", 2))).toBe(true);
    // changing the last input step changes only the last output step
    const changed = tf.concat([tf.slice(x, [0, 0, 0], [1, 8, 2]), tf.ones([1, 1, 2])], 1);
    const diff = tf.sum(tf.abs(tf.sub(taps(kernel, null, changed, { stride: 1, dilation: 2, padding: "causal", groups: 1 }), y)), 2).dataSync();
    expect(Array.from(diff.slice(0, 8)).every((v) => v === 0)).toBe(true);
    expect(diff[8]).toBeGreaterThan(0);
  });

  it("groups: each group of channels convolved by its own slice of the kernel, the outputs concatenated", () => {
    const x = wave([2, 8, 4]);
    const kernel = wave([2, 2, 6], 6);
    const y = taps(kernel, null, x, { stride: 1, dilation: 1, padding: "same", groups: 2 });
    const half = (t: tf.Tensor, axis: number, g: number): tf.Tensor => tf.split(t, 2, axis)[g]!;
    const want = tf.concat([0, 1].map((g) => tf.conv1d(half(x, 2, g) as tf.Tensor3D, half(kernel, 2, g) as tf.Tensor3D, 1, "same")), 2);
    expect(agree(y, want)).toBe(true);
  });

  it("its gradient is tfjs' where tfjs has one (stride 2, same)", () => {
    const x = wave([1, 9, 3]);
    const kernel = wave([3, 3, 2], 7);
    const viaTaps = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(taps(kernel, null, t, { stride: 2, dilation: 1, padding: "same", groups: 1 }), 1.5)))(x);
    const viaTfjs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(t as tf.Tensor3D, kernel as tf.Tensor3D, 2, "same"), 1.5)))(x);
    expect(agree(viaTaps, viaTfjs)).toBe(true);
  });
});

describe("the upsample oracle", () => {
  const x = wave([2, 3, 4, 2]) as tf.Tensor4D;

  it("tfjs' upSampling2d bilinear is not half-pixel: it is resizeBilinear without half-pixel centres", () => {
    const layer = tfl.layers.upSampling2d({ size: [2, 2], interpolation: "bilinear" }).apply(x) as tf.Tensor;
    expect(agree(layer, tf.image.resizeBilinear(x, [6, 8], false, false))).toBe(true);
    expect(agree(layer, tf.image.resizeBilinear(x, [6, 8], false, true))).toBe(false);
  });

  it("tfjs' resizeBilinear gradient fails on a non-square image on the CPU backend", () => {
    expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.image.resizeBilinear(t as tf.Tensor4D, [6, 8], false, true)))(x)).toThrow(/shape/);
  });

  it("the interpolation matrices give resizeBilinear's half-pixel values, for every scale", () => {
    for (const [sh, sw] of [[2, 2], [3, 1], [1, 4], [2, 3]] as const) {
      const viaMatrices = new HalfPixelBilinear([sh, sw], true).apply(x) as tf.Tensor;
      const viaResize = new HalfPixelBilinear([sh, sw], false).apply(x) as tf.Tensor;
      expect(agree(viaMatrices, tf.image.resizeBilinear(x, [3 * sh, 4 * sw], false, true)), `${sh}x${sw}`).toBe(true);
      expect(agree(viaMatrices, viaResize)).toBe(true);
    }
    // each row of a matrix is a convex combination of at most two neighbours
    const m = interpolationMatrix(3, 2);
    for (let o = 0; o < 6; o++) expect(m.slice(o * 3, o * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("nearest: tfjs' resizeNearestNeighbor gradient is wrong for several samples and channels; the oracle's repeat by concat is right", () => {
    const [n, h, w, c] = [2, 3, 4, 3];
    const input = tf.tensor4d(Array.from({ length: n * h * w * c }, (_, i) => i), [n, h, w, c]);
    const weights = tf.tensor4d(Array.from({ length: n * 4 * h * w * c }, (_, i) => Math.sin(i + 1)), [n, 2 * h, 2 * w, c]);
    // d/dx of sum(w * upsample(x)): each input cell gathers the weights of its 2x2 copies
    const wd = weights.dataSync();
    const want = new Float32Array(n * h * w * c);
    for (let s = 0; s < n; s++)
      for (let oy = 0; oy < 2 * h; oy++)
        for (let ox = 0; ox < 2 * w; ox++)
          for (let j = 0; j < c; j++) want[((s * h + Math.floor(oy / 2)) * w + Math.floor(ox / 2)) * c + j]! += wd[((s * 2 * h + oy) * 2 * w + ox) * c + j]!;
    const gradOf = (f: (t: tf.Tensor) => tf.Tensor): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), weights)))(input);
    const viaTfjs = gradOf((t) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [2 * h, 2 * w]));
    const viaOracle = gradOf((t) => new NearestRepeat([2, 2]).apply(t) as tf.Tensor);
    expect(compareArrays(viaOracle.dataSync(), want, float32Tolerance).ratio).toBeLessThanOrEqual(1);
    expect(compareArrays(viaTfjs.dataSync(), want, float32Tolerance).ratio).toBeGreaterThan(1);
    // and the values agree with tfjs' upSampling2d
    expect(agree(new NearestRepeat([2, 3]).apply(x) as tf.Tensor, tfl.layers.upSampling2d({ size: [2, 3] }).apply(x) as tf.Tensor)).toBe(true);
  });

  it("nearest: tfjs' upSampling2d repeats each cell, with a gradient", () => {
    const y = tfl.layers.upSampling2d({ size: [2, 3] }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 6, 12, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tfl.layers.upSampling2d({ size: [2, 3] }).apply(t) as tf.Tensor))(x);
    expect(Array.from(g.dataSync()).every((v) => v === 6)).toBe(true);
  });
});
