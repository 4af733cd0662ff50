// Random inputs and targets in every form the generated API accepts: class indices as Int32Array
// or Uint8Array, one-hot rows or probabilities as Float32Array, and values for mse / BCE.
import type { Rng } from "./random.js";
import type { LossKind } from "./network.js";

export interface Targets {
  /** what cnnc's trainBatch receives */
  readonly cnnc: Int32Array | Uint8Array | Float32Array;
  /** the same targets as n * size floats, for the tfjs loss */
  readonly dense: Float32Array;
}

export interface Batch {
  readonly xs: Float32Array;
  readonly targets: Targets;
  readonly n: number;
}

export function randomBatch(rng: Rng, loss: LossKind, inputSize: number, outputSize: number): Batch {
  const n = rng.int(1, 3);
  return { xs: rng.floats(n * inputSize, -1, 1), targets: randomTargets(rng, loss, n, outputSize), n };
}

function randomTargets(rng: Rng, loss: LossKind, n: number, size: number): Targets {
  if (loss === "mse") return same(rng.floats(n * size, -1, 1));
  if (loss === "binary_cross_entropy") {
    const hard = rng.chance(0.5);
    const t = rng.floats(n * size, 0, 1).map((v) => (hard ? Math.round(v) : v));
    return same(t);
  }
  const form = rng.weighted({ int32: 4, uint8: 1, onehot: 2, probabilities: 2 });
  if (form === "onehot" || form === "probabilities")
    return same(form === "onehot" ? oneHot(classes(rng, n, size), size) : probabilities(rng, n, size));
  const labels = classes(rng, n, size);
  return { cnnc: form === "int32" ? Int32Array.from(labels) : Uint8Array.from(labels), dense: oneHot(labels, size) };
}

function same(t: Float32Array): Targets {
  return { cnnc: t, dense: t };
}

function classes(rng: Rng, n: number, size: number): number[] {
  return Array.from({ length: n }, () => rng.int(0, size - 1));
}

function oneHot(labels: readonly number[], size: number): Float32Array {
  const out = new Float32Array(labels.length * size);
  labels.forEach((label, i) => (out[i * size + label] = 1));
  return out;
}

/** rows of positive numbers that sum to one */
function probabilities(rng: Rng, n: number, size: number): Float32Array {
  const out = rng.floats(n * size, 0.05, 1);
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * size, (i + 1) * size);
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => (row[j] = v / sum));
  }
  return out;
}
