// A standalone activation (one that could not be fused into its producer).
import type { FusedActivation } from "../../ir/graph.js";
import { num } from "../code.js";
import { derivative, formula } from "./activation.js";
import type { Kernel } from "./types.js";

export function elementwise(of: (layer: Parameters<Kernel["forward"]>[0]["layer"]) => FusedActivation): Kernel {
  return {
    forward(node, env) {
      const act = of(node.layer);
      const x = env.off(node.inputs[0]!);
      const y = env.off(node.output);
      return `for (let i = 0; i < ${num(env.size(node.output))}; i++) { const v = a[${num(x)} + i]; a[${num(y)} + i] = ${formula(act, "v", env.precision)}; }`;
    },
    backward(node, grad, env) {
      const dx = grad.dxs[0];
      if (dx === null || dx === undefined) return "";
      const act = of(node.layer);
      const y = env.off(node.output);
      return `for (let i = 0; i < ${num(env.size(node.output))}; i++) { const v = a[${num(y)} + i]; a[${num(env.off(dx))} + i] += a[${num(env.off(grad.dy))} + i] * ${derivative(act, "v")}; }`;
    },
  };
}
