// global_avgpool: [h, w, c] -> [c], the mean over all pixels.
import { b } from "../../kernel/build.js";
import { asImage } from "./pool.js";
import type { Kernel } from "./types.js";

export const global_avgpool: Kernel = {
  forward(node, env) {
    const [h, w, c] = asImage(env.shape(node.inputs[0]!));
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    return [
      b.note("Y[c] = mean over all pixels p of X[p, c]"),
      b.for("j", c, (j) => [b.put(y, j, 0)]),
      b.for("p", h * w, (p) => [
        b.const("xq", b.add(b.base(x), b.mul(p, c))),
        b.for("j", c, (j) => [b.put(y, j, b.load("a", b.add(b.ref("xq"), j)), "+=")]),
      ]),
      b.for("j", c, (j) => [b.put(y, j, 1 / (h * w), "*=")]),
    ];
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    const [h, w, c] = asImage(env.shape(node.inputs[0]!));
    return [
      b.note(`dX[p, c] += dY[c] / ${h * w}`),
      b.for("p", h * w, (p) => [
        b.const("dq", b.add(b.base(env.value(dx)), b.mul(p, c))),
        b.for("j", c, (j) => [b.store("a", b.add(b.ref("dq"), j), b.mul(b.at(env.value(grad.dy), j), 1 / (h * w)), "+=")]),
      ]),
    ];
  },
};
