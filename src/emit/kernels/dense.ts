// dense, kernel [in, units]: the unit loop is innermost, so kernel rows are read contiguously.
// After a flatten the input is the pooled tensor's own storage (the flatten is an alias).
import type { ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { deriveBlock, putActivated } from "./activation.js";
import { blocks } from "./blocks.js";
import { denseBackwardPlain, denseForwardPlain } from "./dense-plain.js";
import { denseSimdBackward, denseSimdBlock, denseSimdForward } from "./dense-simd.js";
import type { Kernel, KernelEnv } from "./types.js";

export function sizes(node: ForwardNode, env: KernelEnv): { n: number; u: number; bias: boolean } {
  if (node.layer.op !== "dense") throw new Error("internal: dense kernel on " + node.layer.op);
  return { n: env.size(node.inputs[0]!), u: node.layer.attrs.units, bias: node.layer.attrs.bias };
}

/** What a dense forward kernel reads and writes: its sizes, input, output, kernel, the fused
 *  activation and where its pre-activation is kept (if the activation's derivative needs it). */
export function forwardRegions(node: ForwardNode, env: KernelEnv) {
  return { ...sizes(node, env), x: env.value(node.inputs[0]!), y: env.value(node.output), k: env.param(node, 0), act: node.fused?.activation, pre: env.preActivation(node) };
}

export const dense: Kernel = {
  forward(node, env) {
    if (env.readable) return denseForwardPlain(node, env);
    // f32x4 over the units where the target has them (dense-simd.ts)
    if (env.lanes === 4) return denseSimdForward(node, env);
    // Register blocking: 8 units accumulate in locals over the whole input, then one store,
    // which applies the fused activation.
    const { n, u, bias, x, y, k, act, pre } = forwardRegions(node, env);
    const block = (j0: Expr, size: number): Stmt[] => {
      const acc = range(size);
      return [
        ...acc.map((i) => b.let(`s${i}`, bias ? b.at(env.param(node, 1), b.add(j0, i)) : 0)),
        b.for("i", n, (i) => [
          b.const("v", b.at(x, i)),
          b.if(b.eq(b.ref("v"), 0), [b.continue()]),
          b.const("ki", b.add(b.base(k), b.mul(i, u), j0)),
          ...acc.map((q) => b.assign(`s${q}`, b.mul(b.ref("v"), b.load("a", b.add(b.ref("ki"), q))), "+=")),
        ]),
        ...acc.flatMap((i) => putActivated(act, y, pre, b.add(j0, i), b.ref(`s${i}`), env.precision)),
      ];
    };
    return blocks(u, block, 8);
  },

  backward(node, grad, env) {
    if (env.readable) return denseBackwardPlain(node, grad, env);
    if (env.lanes === 4) return denseSimdBackward(node, grad, env);
    const { n, u, bias } = sizes(node, env);
    const dy = env.value(grad.dy);
    const dx = grad.dxs[0] ?? null;
    // a frozen layer's backward only carries the gradient through to its input
    const biasGrad = bias && grad.paramGrads ? [b.for("j", u, (j) => [b.put(env.paramGrad(node, 1), j, b.at(dy, j), "+=")])] : [];
    const rows: Rows = { u, x: env.value(node.inputs[0]!), dy, dx: dx === null ? null : env.value(dx), k: env.param(node, 0), gk: grad.paramGrads ? env.paramGrad(node, 0) : null };
    const pairs = Math.floor(n / 2);
    return [
      ...deriveBlock(node, env, dy),
      ...biasGrad,
      ...(pairs === 0 ? [] : [b.for("i", pairs * 2, (i) => rowBlock(rows, i, 2), { step: 2 })]),
      ...(n % 2 === 1 ? [b.block(rowBlock(rows, b.num(n - 1), 1))] : []),
    ];
  },

  // only the f32x4 builds have a batch block (batchBlock in src/options.ts)
  block: denseSimdBlock,
};

interface Rows {
  readonly u: number;
  readonly x: Region;
  readonly dy: Region;
  /** the input gradient, or null when nothing upstream needs it */
  readonly dx: Region | null;
  readonly k: Region;
  /** the kernel's gradient, or null for a frozen layer */
  readonly gk: Region | null;
}

/** Units per step of the backward loop. */
const STEP = 4;

/** Backward through `count` kernel rows from row i: dW[i, :] += x[i] * dy and, when the input
 *  needs a gradient, dx[i] += W[i, :] . dy. Each dy load serves every row of the block, and each
 *  row's dot product is split over two partial sums, so the adds do not queue behind one
 *  another's latency. */
function rowBlock(r: Rows, i: Expr, count: number): Stmt[] {
  const rows = range(count);
  const full = r.u - (r.u % STEP);
  const heads = rows.flatMap((q) => [
    ...(r.gk === null ? [] : [b.const(`v${q}`, b.at(r.x, b.add(i, q))), b.const(`g${q}`, b.add(b.base(r.gk), b.mul(b.add(i, q), r.u)))]),
    ...(r.dx === null ? [] : [b.const(`k${q}`, b.add(b.base(r.k), b.mul(b.add(i, q), r.u))), b.let(`p${q}`, 0), b.let(`h${q}`, 0)]),
  ]);
  // one unit j + t: its dy in a local, then every row's multiply-adds
  const unit = (j: Expr, t: number): Stmt[] => [
    b.const(`d${t}`, b.at(r.dy, b.add(j, t))),
    ...rows.flatMap((q) => [
      ...(r.dx === null ? [] : [b.assign(`${t % 2 === 0 ? "p" : "h"}${q}`, b.mul(b.load("a", b.add(b.ref(`k${q}`), j, t)), b.ref(`d${t}`)), "+=")]),
      ...(r.gk === null ? [] : [b.store("a", b.add(b.ref(`g${q}`), j, t), b.mul(b.ref(`v${q}`), b.ref(`d${t}`)), "+=")]),
    ]),
  ];
  const loop = full === 0 ? [] : [b.for("j", full, (j) => range(STEP).flatMap((t) => unit(j, t)), { step: STEP })];
  const rest = range(r.u - full).map((t) => b.block(unit(b.num(0), full + t)));
  const dxs = r.dx === null ? [] : rows.map((q) => b.put(r.dx!, b.add(i, q), b.add(b.ref(`p${q}`), b.ref(`h${q}`)), "+="));
  return [...heads, ...loop, ...rest, ...dxs];
}
