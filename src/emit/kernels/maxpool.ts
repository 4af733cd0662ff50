// maxpool keeps the argmax (the input index that won) for the backward pass, which is then a
// single scatter loop.
import { affine, num } from "../code.js";
import { poolWindow } from "./pool.js";
import type { Kernel } from "./types.js";
import { mayBeEmpty, slide } from "./window.js";

export const maxpool: Kernel = {
  forward(node, env) {
    const { w, c } = poolWindow(node, env);
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const am = env.argmax(node);
    // Per channel, the running maximum and its index live in locals while the window is walked
    // (a read-modify-write of the output per tap cost twice as much). `at < 0` admits the first
    // tap in range, so a NaN there propagates as it would through TensorFlow's max.
    const loop = slide(w, {
      pixelStart: `const o = ${affine(y, c, "p")}; const m = ${affine(am, c, "p")};
        for (let j = 0; j < ${num(c)}; j++) { let best = -Infinity; let at = -1;`,
      tap: () => `{ const i = q * ${num(c)} + j; const v = a[${num(x)} + i]; if (v > best || at < 0) { best = v; at = i; } }`,
      // A window entirely in the padding has no input: its output is 0 and gets no gradient.
      pixelEnd: `a[o + j] = ${mayBeEmpty(w) ? "at < 0 ? 0 : best" : "best"}; arg[m + j] = at; }`,
    });
    return loop;
  },

  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    const size = env.size(node.output);
    const am = env.argmax(node);
    return `for (let i = 0; i < ${num(size)}; i++) { const q = arg[${affine(am, 1, "i")}]; if (q >= 0) a[${num(env.off(dx))} + q] += a[${affine(env.off(grad.dy), 1, "i")}]; }`;
  },
};
