// global_maxpool: [h, w, c] -> [c], keeping each channel's argmax for the backward scatter. On
// the wasm target's f32 builds the channels go four at a time (f32x4), the last c % 4 as here.
import { b } from "../../kernel/build.js";
import type { Expr } from "../../kernel/ir.js";
import { simdGlobalMax } from "./maxpool-simd.js";
import { asImage } from "./pool.js";
import type { Kernel } from "./types.js";

export const global_maxpool: Kernel = {
  forward(node, env) {
    const [h, w, c] = asImage(env.shape(node.inputs[0]!));
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const m = env.argmax(node);
    const argmax = (j: Expr) => b.add(b.base(m), j);
    // f32x4 when every pixel's offset p * c is an exact f32 (maxpool-simd.ts)
    const vector = env.lanes === 4 && h * w * c < 2 ** 23;
    const from = vector ? c - (c % 4) : 0;
    return [
      b.note("Y[c] = max over all pixels p of X[p, c]; its index kept for the backward pass"),
      ...(vector ? simdGlobalMax(h * w, c, x, y, m) : []),
      ...(from < c
        ? [
            b.for("j", c, (j) => [b.put(y, j, b.at(x, j)), b.store("ix", argmax(j), j)], { start: from }),
            b.for("p", h * w, (p) => [
              b.const("xq", b.mul(p, c)),
              b.for("j", c, (j) => [
                b.const("v", b.at(x, b.add(b.ref("xq"), j))),
                b.if(b.gt(b.ref("v"), b.at(y, j)), [b.put(y, j, b.ref("v")), b.store("ix", argmax(j), b.add(b.ref("xq"), j))]),
              ], { start: from }),
            ], { start: 1 }),
          ]
        : []),
    ];
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    const c = env.size(node.output);
    return [
      b.note("dX[argmax[c]] += dY[c]"),
      b.for("j", c, (j) => [b.put(env.value(dx), b.load("ix", b.add(b.base(env.argmax(node)), j)), b.at(env.value(grad.dy), j), "+=")]),
    ];
  },
};
