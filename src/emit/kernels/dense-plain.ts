// dense as its plain loops, for the readable build.
import type { BackwardNode, ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Stmt } from "../../kernel/ir.js";
import { deriveBlock, putActivated } from "./activation.js";
import { sizes } from "./dense.js";
import type { KernelEnv } from "./types.js";

export function denseForwardPlain(node: ForwardNode, env: KernelEnv): Stmt[] {
  const { n, u, bias } = sizes(node, env);
  const x = env.value(node.inputs[0]!);
  const y = env.value(node.output);
  const k = env.param(node, 0);
  const act = node.fused?.activation;
  return [
    b.note(`y[j] = ${act ? `${act.op}(` : ""}${bias ? "b[j] + " : ""}sum over i of x[i] * W[i, j]${act ? ")" : ""}`),
    b.for("j", u, (j) => [
      b.let("sum", bias ? b.at(env.param(node, 1), j) : 0),
      b.for("i", n, (i) => [b.assign("sum", b.mul(b.at(x, i), b.at(k, b.add(b.mul(i, u), j))), "+=")]),
      ...putActivated(act, y, env.preActivation(node), j, b.ref("sum"), env.precision),
    ]),
  ];
}

export function denseBackwardPlain(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[] {
  const { n, u, bias } = sizes(node, env);
  const x = env.value(node.inputs[0]!);
  const dy = env.value(grad.dy);
  const k = env.param(node, 0);
  const dx = grad.dxs[0] ?? null;
  const out: Stmt[] = [...deriveBlock(node, env, dy)];
  // a frozen layer's backward only carries the gradient through to its input
  if (bias && grad.paramGrads) out.push(b.note("db[j] += dy[j]"), b.for("j", u, (j) => [b.put(env.paramGrad(node, 1), j, b.at(dy, j), "+=")]));
  if (dx !== null)
    out.push(
      b.note("dx[i] += sum over j of W[i, j] * dy[j]"),
      b.for("i", n, (i) => [b.for("j", u, (j) => [b.put(env.value(dx), i, b.mul(b.at(k, b.add(b.mul(i, u), j)), b.at(dy, j)), "+=")])]),
    );
  if (!grad.paramGrads) return out;
  const gk = env.paramGrad(node, 0);
  out.push(
    b.note("dW[i, j] += x[i] * dy[j]"),
    b.for("i", n, (i) => [b.for("j", u, (j) => [b.put(gk, b.add(b.mul(i, u), j), b.mul(b.at(x, i), b.at(dy, j)), "+=")])]),
  );
  return out;
}
