// A standalone activation (one that could not be fused into its producer).
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import { derivative, formula } from "./activation.js";
import type { Kernel } from "./types.js";

export function elementwise(of: (layer: Parameters<Kernel["forward"]>[0]["layer"]) => FusedActivation): Kernel {
  return {
    forward(node, env) {
      const act = of(node.layer);
      return [
        b.note(`Y[i] = ${act.op}(X[i])`),
        b.for("i", env.size(node.output), (i) => [
          b.const("v", b.at(env.value(node.inputs[0]!), i)),
          b.put(env.value(node.output), i, formula(act, b.ref("v"), env.precision)),
        ]),
      ];
    },
    backward(node, grad, env) {
      const dx = grad.dxs[0];
      if (dx === null || dx === undefined) return [];
      const act = of(node.layer);
      return [
        b.note(`dX[i] += dY[i] * ${act.op}'(X[i]), written in terms of Y[i]`),
        b.for("i", env.size(node.output), (i) => [
          b.const("v", b.at(env.value(node.output), i)),
          b.put(env.value(dx), i, b.mul(b.at(env.value(grad.dy), i), derivative(act, b.ref("v"))), "+="),
        ]),
      ];
    },
  };
}
