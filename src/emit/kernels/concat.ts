// concat along the last (channel) axis: each input's rows are copied to their column range.
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";
import type { Kernel } from "./types.js";

function channels(shape: readonly number[]): number {
  return shape[shape.length - 1]!;
}

export const concat: Kernel = {
  forward(node, env) {
    const total = channels(env.shape(node.output));
    const rows = env.size(node.output) / total;
    const y = env.value(node.output);
    let at = 0;
    const copies = (r: Expr): Stmt[] => {
      at = 0;
      return node.inputs.map((v) => {
        const c = channels(env.shape(v));
        const from = at;
        at += c;
        return b.for("j", c, (j) => [b.put(y, b.add(from, b.mul(r, total), j), b.at(env.value(v), b.add(b.mul(r, c), j)))]);
      });
    };
    return [
      b.note("Y[r, ..] = the channels of each input, one after the other"),
      b.for("r", rows, (r) => copies(r)),
    ];
  },
  backward(node, grad, env) {
    const total = channels(env.shape(node.output));
    const rows = env.size(node.output) / total;
    const dy = env.value(grad.dy);
    const copies = (r: Expr): Stmt[] => {
      let at = 0;
      return node.inputs.flatMap((v, k) => {
        const c = channels(env.shape(v));
        const dx = grad.dxs[k];
        const from = at;
        at += c;
        if (dx === null || dx === undefined) return [];
        return [b.for("j", c, (j) => [b.put(env.value(dx), b.add(b.mul(r, c), j), b.at(dy, b.add(from, b.mul(r, total), j)), "+=")])];
      });
    };
    return [
      b.note("dXk[r, ..] += dY's channels of input k"),
      b.for("r", rows, (r) => copies(r)),
    ];
  },
};
