// avgpool divides by the number of real (unpadded) cells in each window, as TensorFlow does.
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";
import { poolWindow } from "./pool.js";
import type { Kernel } from "./types.js";
import { mayBeEmpty, slide, type Window } from "./window.js";

const padded = (w: Window): boolean => w.padding.top + w.padding.bottom + w.padding.left + w.padding.right > 0;

/** 1 / (cells of the window): counted per pixel into `n` when the window can overlap padding. */
function inverse(w: Window): Expr {
  if (!padded(w)) return b.num(1 / (w.kh * w.kw));
  return mayBeEmpty(w) ? b.select(b.gt(b.ref("n"), 0), b.div(1, b.ref("n")), 0) : b.div(1, b.ref("n"));
}

export const avgpool: Kernel = {
  forward(node, env) {
    const { w, c } = poolWindow(node, env);
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const counted = padded(w);
    const channels = (body: (j: Expr) => Stmt[]): Stmt => b.for("j", c, body);
    return [
      b.note("Y[oy, ox, c] = mean over the window's real cells of X[.., .., c]"),
      ...slide(w, {
        pixelStart: [
          b.const("o", b.add(b.base(y), b.mul(b.ref("p"), c))),
          ...(counted ? [b.let("n", 0)] : []),
          channels((j) => [b.store("a", b.add(b.ref("o"), j), 0)]),
        ],
        tap: () => [
          ...(counted ? [b.assign("n", 1, "+=")] : []),
          b.const("xq", b.add(b.base(x), b.mul(b.ref("q"), c))),
          channels((j) => [b.store("a", b.add(b.ref("o"), j), b.load("a", b.add(b.ref("xq"), j)), "+=")]),
        ],
        pixelEnd: [b.const("inv", inverse(w)), channels((j) => [b.store("a", b.add(b.ref("o"), j), b.ref("inv"), "*=")])],
      }, env.readable),
    ];
  },

  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    const { w, c } = poolWindow(node, env);
    const dy = env.value(grad.dy);
    const counted = padded(w);
    // With padding the divisor depends on the window, so count its real cells first.
    return [
      b.note("dX[window cell, c] += dY[oy, ox, c] / (real cells of the window)"),
      ...slide(w, {
        pixelStart: [
          b.const("g", b.add(b.base(dy), b.mul(b.ref("p"), c))),
          ...(counted ? countCells(w) : []),
          b.const("inv", inverse(w)),
        ],
        tap: () => [
          b.const("dq", b.add(b.base(env.value(dx)), b.mul(b.ref("q"), c))),
          b.for("j", c, (j) => [b.store("a", b.add(b.ref("dq"), j), b.mul(b.load("a", b.add(b.ref("g"), j)), b.ref("inv")), "+=")]),
        ],
        pixelEnd: [],
      }, env.readable),
    ];
  },
};

/** Counts the window's real cells for the current output pixel (oy, ox) into `n`. */
function countCells(w: Window): Stmt[] {
  const axis = (count: string, v: string, o: string, s: number, k: number, pad: number, n: number): Stmt =>
    b.for(`k${v}`, k, (kv) => [
      b.const(`i${v}`, b.add(b.mul(b.ref(o), s), -pad, kv)),
      b.if(b.and(b.ge(b.ref(`i${v}`), 0), b.lt(b.ref(`i${v}`), n)), [b.assign(count, 1, "+=")]),
    ]);
  return [
    b.let("ny", 0),
    b.let("nx", 0),
    axis("ny", "y", "oy", w.sh, w.kh, w.padding.top, w.inH),
    axis("nx", "x", "ox", w.sw, w.kw, w.padding.left, w.inW),
    b.const("n", b.mul(b.ref("ny"), b.ref("nx"))),
  ];
}
