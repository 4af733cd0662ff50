// maxpool keeps the argmax (the input index that won) for the backward pass, which is then a
// single scatter loop. On the wasm target's f32 builds the forward pass is f32x4 over the
// channels (maxpool-simd.ts), the last c % 4 channels as here.
import { b } from "../../kernel/build.js";
import type { Region, Stmt } from "../../kernel/ir.js";
import { simdChannels, simdFits } from "./maxpool-simd.js";
import { poolWindow } from "./pool.js";
import type { Kernel } from "./types.js";
import { mayBeEmpty, pixelBody, slidePixels, type Window, type WindowCode } from "./window.js";

export const maxpool: Kernel = {
  forward(node, env) {
    const { w, c } = poolWindow(node, env);
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const am = env.argmax(node);
    const vector = env.lanes === 4 && simdFits(w, c);
    const scalarFrom = vector ? c - (c % 4) : 0;
    // Per pixel, the channels one after the other, each walking the window.
    const channels: Stmt[] = [
      ...(vector ? simdChannels(w, c, x, env.readable) : []),
      ...(scalarFrom < c ? [b.for("j", c, () => pixelBody(w, scalarChannel(w, c, x), env.readable), { start: scalarFrom })] : []),
    ];
    const loops = slidePixels(w, [
      b.const("o", b.add(b.base(y), b.mul(b.ref("p"), c))),
      b.const("m", b.add(b.base(am), b.mul(b.ref("p"), c))),
      ...channels,
    ]);
    return [b.note(`Y[oy, ox, c] = max over the window of X[.., .., c], its index kept for the backward pass`), ...loops];
  },

  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    const size = env.size(node.output);
    const am = env.argmax(node);
    return [
      b.note("dX[argmax[i]] += dY[i]"),
      b.for("i", size, (i) => [
        b.const("q", b.load("ix", b.add(b.base(am), i))),
        b.if(b.ge(b.ref("q"), 0), [b.put(env.value(dx), b.ref("q"), b.at(env.value(grad.dy), i), "+=")]),
      ]),
    ];
  },
};

/** Channel j's window walk: the running maximum and its index live in locals while the window
 *  is walked (a read-modify-write of the output per tap cost twice as much). `at < 0` admits
 *  the first tap in range, so a NaN there propagates as it would through TensorFlow's max. */
function scalarChannel(w: Window, c: number, x: Region): WindowCode {
  return {
    pixelStart: [b.let("best", -Infinity), b.let("at", -1)],
    tap: () => [
      b.block(
        b.const("i", b.add(b.mul(b.ref("q"), c), b.ref("j"))),
        b.const("v", b.at(x, b.ref("i"))),
        b.if(b.or(b.gt(b.ref("v"), b.ref("best")), b.lt(b.ref("at"), 0)), [b.assign("best", b.ref("v")), b.assign("at", b.ref("i"))]),
      ),
    ],
    // A window entirely in the padding has no input: its output is 0 and gets no gradient.
    pixelEnd: [
      b.store("a", b.add(b.ref("o"), b.ref("j")), mayBeEmpty(w) ? b.select(b.lt(b.ref("at"), 0), 0, b.ref("best")) : b.ref("best")),
      b.store("ix", b.add(b.ref("m"), b.ref("j")), b.ref("at")),
    ],
  };
}
