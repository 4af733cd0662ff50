// softmax over the last axis, max-subtracted for stability. Backward: dx = y * (dy - sum(dy * y)).
import { b } from "../../kernel/build.js";
import type { Expr } from "../../kernel/ir.js";
import type { Kernel } from "./types.js";

export const softmax: Kernel = {
  forward(node, env) {
    const shape = env.shape(node.output);
    const n = shape[shape.length - 1]!;
    const rows = env.size(node.output) / n;
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const xr = (j: Expr) => b.load("a", b.add(b.ref("xr"), j));
    const yr = (j: Expr) => b.add(b.ref("yr"), j);
    return [
      b.note("Y[r, j] = exp(X[r, j] - m) / sum over k of exp(X[r, k] - m), m = max over k of X[r, k]"),
      b.for("r", rows, (r) => [
        b.const("xr", b.add(b.base(x), b.mul(r, n))),
        b.const("yr", b.add(b.base(y), b.mul(r, n))),
        b.let("m", -Infinity),
        b.for("j", n, (j) => [b.if(b.gt(xr(j), b.ref("m")), [b.assign("m", xr(j))])]),
        b.let("s", 0),
        b.for("j", n, (j) => [
          b.const("e", b.math("exp", b.sub(xr(j), b.ref("m")))),
          b.store("a", yr(j), b.ref("e")),
          b.assign("s", b.ref("e"), "+="),
        ]),
        b.const("inv", b.div(1, b.ref("s"))),
        b.for("j", n, (j) => [b.store("a", yr(j), b.ref("inv"), "*=")]),
      ]),
    ];
  },
  backward(node, grad, env) {
    const dx = grad.dxs[0];
    if (dx === null || dx === undefined) return [];
    const shape = env.shape(node.output);
    const n = shape[shape.length - 1]!;
    const rows = env.size(node.output) / n;
    const at = (base: string, j: Expr) => b.load("a", b.add(b.ref(base), j));
    return [
      b.note("dX[r, j] += Y[r, j] * (dY[r, j] - sum over k of dY[r, k] * Y[r, k])"),
      b.for("r", rows, (r) => [
        b.const("yr", b.add(b.base(env.value(node.output)), b.mul(r, n))),
        b.const("gr", b.add(b.base(env.value(grad.dy)), b.mul(r, n))),
        b.const("dr", b.add(b.base(env.value(dx)), b.mul(r, n))),
        b.let("s", 0),
        b.for("j", n, (j) => [b.assign("s", b.mul(at("gr", j as Expr), at("yr", j as Expr)), "+=")]),
        b.for("j", n, (j) => [b.store("a", b.add(b.ref("dr"), j), b.mul(at("yr", j as Expr), b.sub(at("gr", j as Expr), b.ref("s"))), "+=")]),
      ]),
    ];
  },
};
