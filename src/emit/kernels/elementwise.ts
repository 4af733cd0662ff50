// A standalone activation (one that could not be fused into its producer), from its math.
import { b } from "../../kernel/build.js";
import { readsInput, type Activation } from "../../kernel/activation.js";
import type { Kernel } from "./types.js";

export function elementwise(mathOf: (attrs: never) => Activation): Kernel {
  return {
    forward(node, env) {
      const act = mathOf(node.layer.attrs as never);
      return [
        b.note(`Y[i] = ${act.name}(X[i])`),
        b.for("i", env.size(node.output), (i) => [
          b.const("v", b.at(env.value(node.inputs[0]!), i)),
          b.put(env.value(node.output), i, act.formula(b.ref("v"), env.precision)),
        ]),
      ];
    },
    backward(node, grad, env) {
      const dx = grad.dxs[0];
      if (dx === null || dx === undefined) return [];
      const act = mathOf(node.layer.attrs as never);
      // the input stays in the arena (every value has its own storage), so reading it is free
      const input = readsInput(act);
      return [
        b.note(input ? `dX[i] += dY[i] * ${act.name}'(X[i])` : `dX[i] += dY[i] * ${act.name}'(X[i]), written in terms of Y[i]`),
        b.for("i", env.size(node.output), (i) => [
          b.const("v", b.at(env.value(input ? node.inputs[0]! : node.output), i)),
          b.put(env.value(dx), i, b.mul(b.at(env.value(grad.dy), i), act.derivative(b.ref("v"), env.precision)), "+="),
        ]),
      ];
    },
  };
}
