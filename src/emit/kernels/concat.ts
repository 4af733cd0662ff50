// concat along the last (channel) axis: each input's rows are copied to their column range.
import { num } from "../code.js";
import type { Kernel } from "./types.js";

function channels(shape: readonly number[]): number {
  return shape[shape.length - 1]!;
}

export const concat: Kernel = {
  forward(node, env) {
    const total = channels(env.shape(node.output));
    const rows = env.size(node.output) / total;
    const y = env.off(node.output);
    let at = 0;
    const copies = node.inputs.map((v) => {
      const c = channels(env.shape(v));
      const code = `for (let j = 0; j < ${num(c)}; j++) a[${num(y + at)} + r * ${num(total)} + j] = a[${num(env.off(v))} + r * ${num(c)} + j];`;
      at += c;
      return code;
    });
    return `for (let r = 0; r < ${num(rows)}; r++) { ${copies.join("\n")} }`;
  },
  backward(node, grad, env) {
    const total = channels(env.shape(node.output));
    const rows = env.size(node.output) / total;
    const dy = env.off(grad.dy);
    let at = 0;
    const copies = node.inputs.map((v, k) => {
      const c = channels(env.shape(v));
      const dx = grad.dxs[k];
      const code =
        dx === null || dx === undefined
          ? ""
          : `for (let j = 0; j < ${num(c)}; j++) a[${num(env.off(dx))} + r * ${num(c)} + j] += a[${num(dy + at)} + r * ${num(total)} + j];`;
      at += c;
      return code;
    });
    return `for (let r = 0; r < ${num(rows)}; r++) { ${copies.join("\n")} }`;
  },
};
