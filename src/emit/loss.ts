// The fused losses, per sample. Each returns the sample's loss and, when `scale` is not 0,
// adds scale * dLoss/dInput to the gradient of what it reads (the region was zeroed).
//   softmax_cross_entropy reads the logits:  grad = p * sum(t) - t
//   binary_cross_entropy reads the sigmoid's input z:  loss = max(z,0) - z t + log(1 + e^-|z|),
//     grad = sigmoid(z) - t (stable for any z)
//   mse reads the tensor itself: loss = mean (y - t)^2, grad = 2 (y - t) / size
import type { LossNode } from "../ir/graph.js";
import { num } from "./code.js";

export function lossBody(loss: LossNode, x: number, g: number, size: number): string {
  switch (loss.kind) {
    case "softmax_cross_entropy":
      return softmaxCrossEntropy(x, g, size);
    case "binary_cross_entropy":
      return `const t = targets as Float32Array | Float64Array; const tq = s * ${num(size)}; let loss = 0;
        for (let j = 0; j < ${num(size)}; j++) {
          const z = a[${num(x)} + j]; const y = t[tq + j]!;
          loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
          if (scale !== 0) a[${num(g)} + j] += (1 / (1 + Math.exp(-z)) - y) * (scale / ${num(size)});
        }
        return loss / ${num(size)};`;
    case "mse":
      return `const t = targets as Float32Array | Float64Array; const tq = s * ${num(size)}; let loss = 0;
        for (let j = 0; j < ${num(size)}; j++) {
          const d = a[${num(x)} + j] - t[tq + j]!;
          loss += d * d;
          if (scale !== 0) a[${num(g)} + j] += d * (2 * scale / ${num(size)});
        }
        return loss / ${num(size)};`;
  }
}

function softmaxCrossEntropy(x: number, g: number, k: number): string {
  return `let m = -Infinity;
    for (let j = 0; j < ${num(k)}; j++) if (a[${num(x)} + j] > m) m = a[${num(x)} + j];
    let se = 0;
    for (let j = 0; j < ${num(k)}; j++) se += Math.exp(a[${num(x)} + j] - m);
    const lse = m + Math.log(se);
    if (targets instanceof Float32Array || targets instanceof Float64Array) {
      const tq = s * ${num(k)}; let loss = 0; let ts = 0;
      for (let j = 0; j < ${num(k)}; j++) { const t = targets[tq + j]!; ts += t; loss += t * (lse - a[${num(x)} + j]); }
      if (scale !== 0) for (let j = 0; j < ${num(k)}; j++) a[${num(g)} + j] += (Math.exp(a[${num(x)} + j] - lse) * ts - targets[tq + j]!) * scale;
      return loss;
    }
    const label = targets[s]!;
    if (scale !== 0) {
      for (let j = 0; j < ${num(k)}; j++) a[${num(g)} + j] += Math.exp(a[${num(x)} + j] - lse) * scale;
      a[${num(g)} + label] -= scale;
    }
    return lse - a[${num(x)} + label];`;
}

/** Number of correct predictions for sample s (classification losses only). */
export function hitsBody(loss: LossNode, x: number, size: number): string | null {
  switch (loss.kind) {
    case "softmax_cross_entropy":
      return `let best = 0;
        for (let j = 1; j < ${num(size)}; j++) if (a[${num(x)} + j] > a[${num(x)} + best]) best = j;
        if (targets instanceof Float32Array || targets instanceof Float64Array) {
          const tq = s * ${num(size)}; let want = 0;
          for (let j = 1; j < ${num(size)}; j++) if (targets[tq + j]! > targets[tq + want]!) want = j;
          return best === want ? 1 : 0;
        }
        return best === targets[s] ? 1 : 0;`;
    case "binary_cross_entropy":
      // Keras' binary accuracy: threshold 0.5 on the sigmoid, i.e. 0 on its input; the
      // fraction of elements right.
      return `const t = targets as Float32Array | Float64Array; const tq = s * ${num(size)}; let right = 0;
        for (let j = 0; j < ${num(size)}; j++) if ((a[${num(x)} + j] > 0) === (t[tq + j]! > 0.5)) right++;
        return right / ${num(size)};`;
    case "mse":
      return null;
  }
}
