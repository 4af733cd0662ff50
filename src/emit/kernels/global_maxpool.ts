// global_maxpool: [h, w, c] -> [c], keeping each channel's argmax for the backward scatter.
import { affine, num } from "../code.js";
import type { Kernel } from "./types.js";

export const global_maxpool: Kernel = {
  forward(node, env) {
    const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const m = env.argmax(node);
    return `for (let j = 0; j < ${num(c)}; j++) { a[${affine(y, 1, "j")}] = a[${affine(x, 1, "j")}]; arg[${affine(m, 1, "j")}] = j; }
      for (let p = 1; p < ${num(h * w)}; p++) { const xq = p * ${num(c)};
        for (let j = 0; j < ${num(c)}; j++) { const v = a[${num(x)} + xq + j]; if (v > a[${affine(y, 1, "j")}]) { a[${affine(y, 1, "j")}] = v; arg[${affine(m, 1, "j")}] = xq + j; } } }`;
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    const c = env.size(node.output);
    return `for (let j = 0; j < ${num(c)}; j++) a[${num(env.off(dx))} + arg[${affine(env.argmax(node), 1, "j")}]] += a[${affine(env.off(grad.dy), 1, "j")}];`;
  },
};
