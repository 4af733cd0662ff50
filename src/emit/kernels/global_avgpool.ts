// global_avgpool: [h, w, c] -> [c], the mean over all pixels.
import { affine, num } from "../code.js";
import type { Kernel } from "./types.js";

export const global_avgpool: Kernel = {
  forward(node, env) {
    const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    return `for (let j = 0; j < ${num(c)}; j++) a[${affine(y, 1, "j")}] = 0;
      for (let p = 0; p < ${num(h * w)}; p++) { const xq = ${affine(x, c, "p")}; for (let j = 0; j < ${num(c)}; j++) a[${affine(y, 1, "j")}] += a[xq + j]; }
      for (let j = 0; j < ${num(c)}; j++) a[${affine(y, 1, "j")}] *= ${num(1 / (h * w))};`;
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
    return `for (let p = 0; p < ${num(h * w)}; p++) { const dq = ${affine(env.off(dx), c, "p")};
      for (let j = 0; j < ${num(c)}; j++) a[dq + j] += a[${affine(env.off(grad.dy), 1, "j")}] * ${num(1 / (h * w))}; }`;
  },
};
