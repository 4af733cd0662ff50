// avgpool divides by the number of real (unpadded) cells in each window, as TensorFlow does.
import { affine, num } from "../code.js";
import { poolWindow } from "./pool.js";
import type { Kernel } from "./types.js";
import { mayBeEmpty, slide, type Window } from "./window.js";

const padded = (w: Window): boolean => w.padding.top + w.padding.bottom + w.padding.left + w.padding.right > 0;

export const avgpool: Kernel = {
  forward(node, env) {
    const { w, c } = poolWindow(node, env);
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const counted = padded(w);
    return slide(w, {
      pixelStart: `const o = ${affine(y, c, "p")}; ${counted ? "let n = 0;" : ""}
        for (let j = 0; j < ${num(c)}; j++) a[o + j] = 0;`,
      tap: () => `${counted ? "n++;" : ""} const xq = ${affine(x, c, "q")};
        for (let j = 0; j < ${num(c)}; j++) a[o + j] += a[xq + j];`,
      pixelEnd: `const inv = ${counted ? (mayBeEmpty(w) ? "n > 0 ? 1 / n : 0" : "1 / n") : num(1 / (w.kh * w.kw))};
        for (let j = 0; j < ${num(c)}; j++) a[o + j] *= inv;`,
    });
  },

  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    const { w, c } = poolWindow(node, env);
    const dy = env.off(grad.dy);
    const counted = padded(w);
    // With padding the divisor depends on the window, so count its real cells first.
    const countTaps = counted
      ? `let n = 0; ${slideCount(w)}`
      : "";
    return slide(w, {
      pixelStart: `const g = ${affine(dy, c, "p")}; ${countTaps}
        const inv = ${counted ? (mayBeEmpty(w) ? "n > 0 ? 1 / n : 0" : "1 / n") : num(1 / (w.kh * w.kw))};`,
      tap: () => `const dq = ${affine(env.off(dx), c, "q")};
        for (let j = 0; j < ${num(c)}; j++) a[dq + j] += a[g + j] * inv;`,
      pixelEnd: "",
    });
  },
};

/** Counts the window's real cells for the current output pixel (oy, ox) into `n`. */
function slideCount(w: Window): string {
  const rows = `for (let ky = 0; ky < ${num(w.kh)}; ky++) { const iy = oy * ${num(w.sh)} + ${num(ky0(w))} + ky; if (iy >= 0 && iy < ${num(w.inH)}) ny++; }`;
  const cols = `for (let kx = 0; kx < ${num(w.kw)}; kx++) { const ix = ox * ${num(w.sw)} + ${num(kx0(w))} + kx; if (ix >= 0 && ix < ${num(w.inW)}) nx++; }`;
  return `let ny = 0; let nx = 0; ${rows} ${cols} n = ny * nx;`;
}

const ky0 = (w: Window): number => -w.padding.top;
const kx0 = (w: Window): number => -w.padding.left;
