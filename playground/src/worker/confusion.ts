// Counts of (true digit, predicted digit) over the test set, predicting in chunks.
import { pixels, type DigitSet } from "../shared/mnist.js";
import type { LoadedModel } from "./module.js";

export function confusionMatrix(model: LoadedModel, digits: DigitSet, chunk = 500): number[][] {
  const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let start = 0; start < digits.n; start += chunk) {
    const n = Math.min(chunk, digits.n - start);
    const outputs = model.predictBatch(digits.images.subarray(start * pixels, (start + n) * pixels), n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (outputs[i * 10 + k]! > outputs[i * 10 + best]!) best = k;
      matrix[digits.labels[start + i]!]![best]! += 1;
    }
  }
  return matrix;
}
