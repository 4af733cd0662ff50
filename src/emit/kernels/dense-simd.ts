// dense's forward pass on the wasm target's f32 builds: f32x4 over the units (the contiguous
// axis of the kernel rows). A block of VECTORS vectors of 4 units accumulates in v128 locals over
// the whole input, each input element splatted once and multiplied into every vector of the
// block (a zero input, common after a relu, is skipped as in the scalar kernel), in chunks of
// inputs (chunks.ts); the last u % 4 units are one partial vector (laneBlocks in store-simd.ts: its
// live lanes stored). Sums are f32: results differ from the TypeScript target's in the last bits. The backward pass (denseSimdBackward) is f32x4 over the units too.
import type { BackwardNode, ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { deriveBlock } from "./activation.js";
import { forwardRegions, sizes } from "./dense.js";
import { blocks } from "./blocks.js";
import { chunkedSum } from "./chunks.js";
import { laneBlocks, liveSum, storeLanes, storeLive } from "./store-simd.js";
import { BLOCK_SLOT, type BlockKernel, type KernelEnv } from "./types.js";

/** Vectors of 4 units per block: 4 independent accumulators hide the adds' latency. */
const VECTORS = 4;

export function denseSimdForward(node: ForwardNode, env: KernelEnv): Stmt[] {
  const { n, u, bias, x, y, k, act, pre } = forwardRegions(node, env);
  return laneBlocks(u, VECTORS, (j0, count, live) => {
    const acc = range(count);
    const at = (i: number) => b.add(j0, i * 4);
    // the multiply-adds of input i into the accumulators `into` (in chunks: chunks.ts)
    const input = (i: Expr, into: readonly string[]): Stmt[] => [
      b.const("v", b.at(x, i)),
      b.if(b.eq(b.ref("v"), 0), [b.continue()]),
      b.const("sv", b.splat(b.ref("v"))),
      b.const("ki", b.add(b.base(k), b.mul(i, u), j0)),
      ...acc.map((q) => b.assign(into[q]!, b.mul(b.ref("sv"), b.load("a", b.add(b.ref("ki"), q * 4), 4)), "+=")),
    ];
    return [
      ...acc.map((i) => b.let(`s${i}`, bias ? b.at(env.param(node, 1), at(i), 4) : b.splat(0))),
      ...chunkedSum(n, acc.map((q) => `s${q}`), input),
      ...acc.flatMap((i) => storeLanes(act, y, pre, b.add(b.base(y), at(i)), b.ref(`s${i}`), i === count - 1 ? live : 4)),
    ];
  });
}

/** dense's backward pass in f32x4 over the units, ROWS kernel rows i at a time (rows): dW[i, :]
 *  += x[i] * dy (x[i] splatted, a read-modify-write of 4 gradients per vector) and, when the
 *  input needs a gradient, dx[i] += W[i, :] . dy (the products summed in one f32x4, then across
 *  its lanes); the bias gradient is a vector add over the units. */
export function denseSimdBackward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[] {
  const { u, bias } = sizes(node, env);
  const dy = env.value(grad.dy);
  const dxId = grad.dxs[0] ?? null;
  // a frozen layer's backward only carries the gradient through to its input
  const biasGrad = bias && grad.paramGrads ? vectorAdd(env.paramGrad(node, 1), dy, u) : [];
  return [...deriveBlock(node, env, dy), ...biasGrad, ...rows(node, dy, dxId === null ? null : env.value(dxId), grad.paramGrads ? env.paramGrad(node, 0) : null, env)];
}

/** Kernel rows per block of the backward's row loop. */
const ROWS = 4;

/** dW[i, :] += x[i] * dy (unless gk is null) and dx[i] += W[i, :] . dy (unless dx is null), ROWS
 *  kernel rows at a time: each dy vector is loaded once for all of them, and each row's dot
 *  product sums in a v128 of its own. One row's sum is a chain of dependent adds, bound by their
 *  latency: ROWS chains side by side overlap (bench/NOTES.md). The last u % 4 units are one
 *  partial vector, whose dead lanes (the next row's weights and gradients, or past dy) are
 *  neither summed nor written. */
function rows(node: ForwardNode, dy: Region, dx: Region | null, gk: Region | null, env: KernelEnv): Stmt[] {
  const { n, u } = sizes(node, env);
  if (dx === null && gk === null) return [];
  const x = env.value(node.inputs[0]!);
  const k = env.param(node, 0);
  const whole = u - (u % 4);
  const tail = u % 4;
  const rowsFrom = (i0: Expr, count: number): Stmt[] => {
    const qs = range(count);
    // W[i, :] . dy: the whole vectors' products summed in acc, the partial one's live lanes after
    const dots = qs.map((q) =>
      tail === 0 ? { stmts: [], sum: b.hsum(b.ref(`acc${q}`)) } : liveSum(whole === 0 ? [] : [b.ref(`acc${q}`)], b.mul(b.load("a", b.add(b.ref(`kr${q}`), whole), 4), b.ref("dt")), tail, `pt${q}`),
    );
    return [
      ...qs.flatMap((q) => [
        ...(gk === null ? [] : [b.const(`xs${q}`, b.splat(b.at(x, b.add(i0, q)))), b.const(`gr${q}`, b.add(b.base(gk), b.mul(b.add(i0, q), u)))]),
        ...(dx === null ? [] : [b.const(`kr${q}`, b.add(b.base(k), b.mul(b.add(i0, q), u))), b.let(`acc${q}`, b.splat(0))]),
      ]),
      ...(whole === 0
        ? []
        : [
            b.for("j", whole, (j) => [
              b.const("d", b.at(dy, j, 4)),
              ...qs.flatMap((q) => [
                ...(dx === null ? [] : [b.assign(`acc${q}`, b.mul(b.load("a", b.add(b.ref(`kr${q}`), j), 4), b.ref("d")), "+=")]),
                ...(gk === null ? [] : [b.store("a", b.add(b.ref(`gr${q}`), j), b.mul(b.ref(`xs${q}`), b.ref("d")), "+=", 4)]),
              ]),
            ], { step: 4 }),
          ]),
      ...(tail === 0 ? [] : [b.const("dt", b.at(dy, whole, 4))]),
      ...qs.flatMap((q) => [
        ...(tail === 0 || gk === null ? [] : storeLive(b.add(b.ref(`gr${q}`), whole), b.mul(b.ref(`xs${q}`), b.ref("dt")), tail, "+=")),
        ...(dx === null ? [] : [...dots[q]!.stmts, b.put(dx, b.add(i0, q), dots[q]!.sum, "+=")]),
      ]),
    ];
  };
  return blocks(n, rowsFrom, ROWS, "i0");
}

/** g[j] += d[j] over n values: f32x4 for the whole vectors, then one partial vector. */
export function vectorAdd(g: Region, d: Region, n: number): Stmt[] {
  const whole = n - (n % 4);
  return [
    ...(whole === 0 ? [] : [b.for("j", whole, (j) => [b.put(g, j, b.at(d, j, 4), "+=", 4)], { step: 4 })]),
    ...(n % 4 === 0 ? [] : storeLive(b.add(b.base(g), whole), b.at(d, whole, 4), n % 4, "+=")),
  ];
}

// The batch block (BlockKernel in types.ts): dense's weight gradient over B samples is the
// matrix product dW += X^T DY of the block's inputs X [B, n] and output gradients DY [B, u].
// Sample by sample, each dW vector is a load, an add and a store per sample (LeNet's 400 x 120
// kernel: 48,000 floats read and written per sample); over the block, the block's B products
// of a vector are summed in v128 registers and added to dW once. Each sample's backward copies
// its x and (derived) dy to its slot of the block buffers, as whole vectors (a slot's size is
// a multiple of 4, so a copy's dead lanes land in its own slot's padding); its dx is computed
// then, as without the block (dx is needed at once by the layer before). Only for a large
// kernel gradient, where it pays (BLOCK_MIN_GRADIENT in src/options.ts).

/** One slot of a block buffer holding `n` values: whole vectors. */
export function blockSlot(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** The names of dense's block buffers (Scratch.block in src/ops/dense.ts). */
export const BLOCK_X = "blockX";
export const BLOCK_DY = "blockDy";

/** Sum of the terms as a balanced tree: the block's products are independent, so the adds
 *  of the halves run side by side. */
function tree(terms: readonly Expr[]): Expr {
  if (terms.length === 1) return terms[0]!;
  const half = Math.ceil(terms.length / 2);
  return b.add(tree(terms.slice(0, half)), tree(terms.slice(half)));
}

export const denseSimdBlock: BlockKernel = {
  backward(node, grad, env) {
    const { n, u } = sizes(node, env);
    const dy = env.value(grad.dy);
    const dxId = grad.dxs[0] ?? null;
    const slotCopy = (from: Region, to: Region, size: number): Stmt =>
      b.for("i", blockSlot(size), (i) => [b.put(to, b.add(b.mul(b.ref(BLOCK_SLOT), blockSlot(size)), i), b.at(from, i, 4), "=", 4)], { step: 4 });
    return [
      ...deriveBlock(node, env, dy),
      // dx alone: the block's product computes dW
      ...rows(node, dy, dxId === null ? null : env.value(dxId), null, env),
      slotCopy(env.value(node.inputs[0]!), env.scratch(node, BLOCK_X).value, n),
      slotCopy(dy, env.scratch(node, BLOCK_DY).value, u),
    ];
  },

  product(node, _grad, env, count) {
    const { n, u, bias } = sizes(node, env);
    const xb = env.scratch(node, BLOCK_X).value;
    const dyb = env.scratch(node, BLOCK_DY).value;
    const gk = env.paramGrad(node, 0);
    const whole = u - (u % 4);
    const tail = u % 4;
    const slots = range(count);
    // sample s's dy vector at unit j: dead lanes past u are the copy's padding (never stored)
    const dyAt = (s: number, j: Expr): Expr => b.at(dyb, b.add(s * blockSlot(u), j), 4);
    // the block's sum at units j..j+3 added to g[at], each product `term(s, j)`
    const units = (at: (j: Expr) => Expr, term: (s: number, j: Expr) => Expr): Stmt[] => [
      ...(whole === 0 ? [] : [b.for("j", whole, (j) => [b.store("a", at(j), tree(slots.map((s) => term(s, j))), "+=", 4)], { step: 4 })]),
      ...(tail === 0 ? [] : storeLive(at(b.num(whole)), tree(slots.map((s) => term(s, b.num(whole)))), tail, "+=")),
    ];
    const db = bias ? env.paramGrad(node, 1) : null;
    return [
      ...(db === null ? [] : units((j) => b.add(b.base(db), j), dyAt)),
      b.for("i", n, (i) => [
        ...slots.map((s) => b.const(`x${s}`, b.splat(b.at(xb, b.add(s * blockSlot(n), i))))),
        b.const("gr", b.add(b.base(gk), b.mul(i, u))),
        ...units((j) => b.add(b.ref("gr"), j), (s, j) => b.mul(b.ref(`x${s}`), dyAt(s, j))),
      ]),
    ];
  },
};
