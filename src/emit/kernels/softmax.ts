// softmax over the last axis, max-subtracted for stability. Backward: dx = y * (dy - sum(dy * y)).
import { num } from "../code.js";
import type { Kernel } from "./types.js";

export const softmax: Kernel = {
  forward(node, env) {
    const shape = env.shape(node.output);
    const n = shape[shape.length - 1]!;
    const rows = env.size(node.output) / n;
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    return `for (let r = 0; r < ${num(rows)}; r++) {
      const xr = ${num(x)} + r * ${num(n)}; const yr = ${num(y)} + r * ${num(n)};
      let m = -Infinity; for (let j = 0; j < ${num(n)}; j++) if (a[xr + j] > m) m = a[xr + j];
      let s = 0; for (let j = 0; j < ${num(n)}; j++) { const e = Math.exp(a[xr + j] - m); a[yr + j] = e; s += e; }
      const inv = 1 / s; for (let j = 0; j < ${num(n)}; j++) a[yr + j] *= inv;
    }`;
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    const shape = env.shape(node.output);
    const n = shape[shape.length - 1]!;
    const rows = env.size(node.output) / n;
    const y = env.off(node.output);
    const dy = env.off(grad.dy);
    return `for (let r = 0; r < ${num(rows)}; r++) {
      const yr = ${num(y)} + r * ${num(n)}; const gr = ${num(dy)} + r * ${num(n)}; const dr = ${num(env.off(dx))} + r * ${num(n)};
      let s = 0; for (let j = 0; j < ${num(n)}; j++) s += a[gr + j] * a[yr + j];
      for (let j = 0; j < ${num(n)}; j++) a[dr + j] += a[yr + j] * (a[gr + j] - s);
    }`;
  },
};
