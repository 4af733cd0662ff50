// add: elementwise sum of two or more tensors; its gradient flows unchanged to every input.
import { num } from "../code.js";
import type { Kernel } from "./types.js";

export const add: Kernel = {
  forward(node, env) {
    const terms = node.inputs.map((v) => `a[${num(env.off(v))} + i]`).join(" + ");
    return `for (let i = 0; i < ${num(env.size(node.output))}; i++) a[${num(env.off(node.output))} + i] = ${terms};`;
  },
  backward(node, grad, env) {
    const dy = env.off(grad.dy);
    const adds = grad.dxs.filter((dx): dx is number => dx !== null).map((dx) => `a[${num(env.off(dx))} + i] += g;`);
    if (adds.length === 0) return "";
    return `for (let i = 0; i < ${num(env.size(node.output))}; i++) { const g = a[${num(dy)} + i]; ${adds.join(" ")} }`;
  },
};
