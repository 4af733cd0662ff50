// Activations inside other kernels: the fused one applied as a sum is stored, and the backward
// pass through it (the math is the activation op's own, src/ops/relu.ts and the like).
import type { FusedActivation, ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import { readsInput, type Activation } from "../../kernel/activation.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import type { KernelEnv } from "./types.js";

/** The fused activation of x. */
export function formula(act: FusedActivation, x: Expr, precision: "f32" | "f64"): Expr {
  return act.math.formula(x, precision);
}

/** g[i] *= f'(v[i]) in place, v the activation's output or input (as its math says). */
export function scaleByDerivative(math: Activation, g: Region, v: Region, i: Expr, precision: "f32" | "f64"): Stmt {
  return math.scale ? math.scale(g, v, i, precision) : b.put(g, i, math.derivative(b.at(v, i), precision), "*=");
}

/** Backward through a fused activation: dy *= f'(y) over the whole output, in place; an
 *  activation whose derivative reads its input reads the pre-activation the forward pass kept. */
export function deriveBlock(node: ForwardNode, env: KernelEnv, dy: Region): Stmt[] {
  const act = node.fused?.activation;
  if (!act) return [];
  const y = env.value(node.output);
  const input = readsInput(act.math);
  const pre = env.preActivation(node);
  if (input && pre === undefined) throw new Error(`internal: fused ${act.op} has no stored pre-activation`);
  const v = input ? pre! : y;
  return [b.note(input ? `dY *= ${act.op}'(Z), Z the pre-activation` : `dY *= ${act.op}'(Y)`), b.for("i", y.size, (i) => [scaleByDerivative(act.math, dy, v, i, env.precision)])];
}

/** The stores of one fused output at arena index `at` of y: the pre-activation v first when it
 *  is kept (at the same element of its own buffer), then f(v). */
export function storeActivated(act: FusedActivation | undefined, y: Region, pre: Region | undefined, at: Expr, v: Expr, precision: "f32" | "f64"): Stmt[] {
  const keep = pre === undefined ? [] : [b.store("a", b.add(at, b.sub(b.base(pre), b.base(y))), v)];
  return [...keep, b.store("a", at, act ? formula(act, v, precision) : v)];
}

/** storeActivated at element `index` of y. */
export function putActivated(act: FusedActivation | undefined, y: Region, pre: Region | undefined, index: Expr, v: Expr, precision: "f32" | "f64"): Stmt[] {
  return storeActivated(act, y, pre, b.add(b.base(y), index), v, precision);
}
