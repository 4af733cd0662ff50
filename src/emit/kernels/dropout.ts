// dropout: inverted dropout (kept values scaled by 1 / (1 - rate)), active only while training.
// The mask comes from the model's own seeded xorshift stream and is kept for the backward pass.
import { b } from "../../kernel/build.js";
import type { Stmt } from "../../kernel/ir.js";
import type { Kernel } from "./types.js";

export const dropout: Kernel = {
  forward(node, env, mode) {
    if (node.layer.op !== "dropout") throw new Error("internal: dropout kernel on " + node.layer.op);
    const rate = node.layer.attrs.rate;
    const size = env.size(node.output);
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const copy: Stmt = b.for("i", size, (i) => [b.put(y, i, b.at(x, i))]);
    if (mode === "infer") return [copy];
    const m = env.mask(node);
    const r = b.ref("r");
    return [
      b.note(`Y[i] = X[i] * mask[i] while training: mask[i] is 0 with probability ${rate}, else 1 / (1 - ${rate})`),
      b.if(b.ref("training"), [
        b.let("r", b.field("rngWork")),
        b.for("i", size, (i) => [
          b.assign("r", b.bin("<<", r, 13), "^="),
          b.assign("r", b.bin(">>>", r, 17), "^="),
          b.assign("r", b.bin("<<", r, 5), "^="),
          b.const("keep", b.select(b.ge(b.div(b.bin(">>>", r, 0), 4294967296), rate), 1 / (1 - rate), 0)),
          b.put(m, i, b.ref("keep")),
          b.put(y, i, b.mul(b.at(x, i), b.ref("keep"))),
        ]),
        b.setField("rngWork", r),
      ], [copy]),
    ];
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    return [b.for("i", env.size(node.output), (i) => [b.put(env.value(dx), i, b.mul(b.at(env.value(grad.dy), i), b.at(env.mask(node), i)), "+=")])];
  },
};
