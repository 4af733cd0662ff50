// Seeded data for the benchmark: inputs, labels, and stand-in weights of the right Keras shapes
// (used before cnnc can provide its own, and to give biases non-zero values for the agreement check).
import { paramShapes, type Arch, type NamedTensor } from "./arch.js";

/** mulberry32: small, fast, and the same sequence on every engine and machine. */
export function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pixels in [0, 1), like normalised images. */
export function randomInputs(count: number, seed: number): Float32Array {
  const next = makeRandom(seed);
  const xs = new Float32Array(count);
  for (let i = 0; i < count; i++) xs[i] = next();
  return xs;
}

export function randomLabels(n: number, classes: number, seed: number): Int32Array {
  const next = makeRandom(seed);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor(next() * classes);
  return labels;
}

/** Glorot-uniform kernels (Keras' default) and biases uniform in [-0.1, 0.1). */
export function randomWeights(arch: Arch, seed: number): NamedTensor[] {
  const next = makeRandom(seed);
  return paramShapes(arch).map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const limit = shape.length === 1 ? 0.1 : glorotLimit(shape);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = (2 * next() - 1) * limit;
    return { name, shape, data };
  });
}

/** Replace every bias with small random values, so the check also covers how biases are wired. */
export function withRandomBiases(weights: readonly NamedTensor[], seed: number): NamedTensor[] {
  const next = makeRandom(seed);
  return weights.map((w) => {
    if (w.shape.length !== 1) return { name: w.name, shape: [...w.shape], data: Float32Array.from(w.data) };
    const data = new Float32Array(w.data.length);
    for (let i = 0; i < data.length; i++) data[i] = (2 * next() - 1) * 0.1;
    return { name: w.name, shape: [...w.shape], data };
  });
}

// Keras: fan_in and fan_out include the receptive field for convolution kernels.
function glorotLimit(shape: readonly number[]): number {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = (shape[shape.length - 2] ?? 1) * receptive;
  const fanOut = (shape[shape.length - 1] ?? 1) * receptive;
  return Math.sqrt(6 / (fanIn + fanOut));
}
