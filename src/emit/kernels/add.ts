// add: elementwise sum of two or more tensors; its gradient flows unchanged to every input.
import { b } from "../../kernel/build.js";
import type { Kernel } from "./types.js";

export const add: Kernel = {
  forward(node, env) {
    return [
      b.note("Y[i] = " + node.inputs.map((_, k) => `X${k}[i]`).join(" + ")),
      b.for("i", env.size(node.output), (i) => [b.put(env.value(node.output), i, b.sum(node.inputs.map((v) => b.at(env.value(v), i))))]),
    ];
  },
  backward(node, grad, env) {
    const dxs = grad.dxs.filter((dx): dx is number => dx !== null);
    if (dxs.length === 0) return [];
    return [
      b.note("dXk[i] += dY[i] for every input k"),
      b.for("i", env.size(node.output), (i) => [b.const("g", b.at(env.value(grad.dy), i)), ...dxs.map((dx) => b.put(env.value(dx), i, b.ref("g"), "+="))]),
    ];
  },
};
