// dropout: inverted dropout (kept values scaled by 1 / (1 - rate)), active only while training.
// The mask comes from the model's own seeded xorshift stream and is kept for the backward pass.
import { num } from "../code.js";
import type { Kernel } from "./types.js";

export const dropout: Kernel = {
  forward(node, env, mode) {
    if (node.layer.op !== "dropout") throw new Error("internal: dropout kernel on " + node.layer.op);
    const rate = node.layer.attrs.rate;
    const size = env.size(node.output);
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const copy = `for (let i = 0; i < ${num(size)}; i++) a[${num(y)} + i] = a[${num(x)} + i];`;
    if (mode === "infer") return copy;
    const m = env.mask(node);
    return `if (training) {
      let r = this.rngWork;
      for (let i = 0; i < ${num(size)}; i++) {
        r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
        const keep = (r >>> 0) / 4294967296 >= ${num(rate)} ? ${num(1 / (1 - rate))} : 0;
        a[${num(m)} + i] = keep; a[${num(y)} + i] = a[${num(x)} + i] * keep;
      }
      this.rngWork = r;
    } else { ${copy} }`;
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return "";
    return `for (let i = 0; i < ${num(env.size(node.output))}; i++) a[${num(env.off(dx))} + i] += a[${num(env.off(grad.dy))} + i] * a[${num(env.mask(node))} + i];`;
  },
};
