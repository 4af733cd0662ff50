// batchnorm: per channel c (the last axis), over the m = size / c positions of a sample.
//   training:   y = gamma * (x - mean_B) / sqrt(var_B + eps) + beta, with the mean and the
//               biased variance over the batch and every position (phases, batchnormBatch);
//   predicting: the same with the moving statistics, one sample at a time (batchnorm).
// The training backward is the full one through the batch statistics:
//   dx = gamma / sqrt(var_B + eps) * (dy - sum(dy) / N - xhat * sum(dy * xhat) / N), N = n * m.
import type { BatchnormAttrs } from "../../ops/batchnorm.js";
import type { BackwardNode, ForwardNode } from "../../ir/graph.js";
import { b, type E } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import type { BatchKernel, Kernel, KernelEnv, Phase } from "./types.js";

interface Parts {
  readonly attrs: BatchnormAttrs;
  readonly x: Region;
  readonly y: Region;
  /** channels and positions per sample */
  readonly c: number;
  readonly m: number;
  readonly gamma: Region | null;
  readonly beta: Region | null;
  readonly movingMean: Region;
  readonly movingVariance: Region;
}

function parts(node: ForwardNode, env: KernelEnv): Parts {
  if (node.layer.op !== "batchnorm") throw new Error("internal: batchnorm kernel on " + node.layer.op);
  const attrs = node.layer.attrs;
  const shape = env.shape(node.output);
  const c = shape[shape.length - 1]!;
  // parameters in declaration order: gamma (scale), beta (center), then the state
  let k = 0;
  const gamma = attrs.scale ? env.param(node, k++) : null;
  const beta = attrs.center ? env.param(node, k++) : null;
  const movingMean = env.param(node, k++);
  const movingVariance = env.param(node, k++);
  return { attrs, x: env.value(node.inputs[0]!), y: env.value(node.output), c, m: env.size(node.output) / c, gamma, beta, movingMean, movingVariance };
}

/** for ch < c, for p < m: body(ch, p, the element's index) */
function eachElement(p: Parts, body: (ch: Expr, at: Expr) => readonly Stmt[]): Stmt {
  return b.for("ch", p.c, (ch) => [b.for("p", p.m, (pos) => body(ch, b.add(b.mul(pos, p.c), ch)))]);
}

const times = (factor: Region | null, ch: Expr, e: E): E => (factor === null ? e : b.mul(e, b.at(factor, ch)));
const plus = (shift: Region | null, ch: Expr, e: E): E => (shift === null ? e : b.add(e, b.at(shift, ch)));

/** The per-sample forward with the moving statistics (prediction, evaluate), and its backward. */
export const batchnorm: Kernel = {
  forward(node, env) {
    const p = parts(node, env);
    return [
      b.note("Y[p, c] = (X[p, c] - moving_mean[c]) / sqrt(moving_variance[c] + eps) * gamma[c] + beta[c]"),
      b.for("ch", p.c, (ch) => [
        b.const("mean", b.at(p.movingMean, ch)),
        b.const("inv", b.div(1, b.math("sqrt", b.add(b.at(p.movingVariance, ch), p.attrs.epsilon)))),
        b.for("p", p.m, (pos) => {
          const at = b.add(b.mul(pos, p.c), ch);
          return [b.put(p.y, at, plus(p.beta, ch, times(p.gamma, ch, b.mul(b.sub(b.at(p.x, at), b.ref("mean")), b.ref("inv")))))];
        }),
      ]),
    ];
  },
  // With the statistics fixed (a frozen layer), the layer is a per-channel affine map.
  backward(node, grad, env) {
    const p = parts(node, env);
    const dy = env.value(grad.dy);
    const dx = grad.dxs[0] ?? null;
    const k = paramGrads(node, grad, env, p);
    return [
      b.for("ch", p.c, (ch) => [
        b.const("mean", b.at(p.movingMean, ch)),
        b.const("inv", b.div(1, b.math("sqrt", b.add(b.at(p.movingVariance, ch), p.attrs.epsilon)))),
        b.for("p", p.m, (pos) => {
          const at = b.add(b.mul(pos, p.c), ch);
          const g = b.at(dy, at);
          return [
            ...(k.dgamma ? [b.put(k.dgamma, ch, b.mul(g, b.mul(b.sub(b.at(p.x, at), b.ref("mean")), b.ref("inv"))), "+=")] : []),
            ...(k.dbeta ? [b.put(k.dbeta, ch, g, "+=")] : []),
            ...(dx === null ? [] : [b.put(env.value(dx), at, times(p.gamma, ch, b.mul(g, b.ref("inv"))), "+=")]),
          ];
        }),
      ]),
    ];
  },
};

/** The gradients of gamma and beta, or none for a frozen layer (its entries in getGradients stay 0). */
function paramGrads(node: ForwardNode, grad: BackwardNode, env: KernelEnv, p: Parts): { dgamma: Region | null; dbeta: Region | null } {
  if (!grad.paramGrads) return { dgamma: null, dbeta: null };
  let k = 0;
  const dgamma = p.gamma ? env.paramGrad(node, k++) : null;
  const dbeta = p.beta ? env.paramGrad(node, k++) : null;
  return { dgamma, dbeta };
}

/** The shared scratch: five per-channel rows (see the op's `batch.scratch`). */
function stats(node: ForwardNode, env: KernelEnv, p: Parts) {
  const s = env.batchScratch(node);
  const row = (r: number) => (ch: E): Expr => b.at(s, b.add(ch, r * p.c));
  const put = (r: number) => (ch: E, v: E, op: "=" | "+=" = "="): Stmt => b.put(s, b.add(ch, r * p.c), v, op);
  return {
    mean: row(0), setMean: put(0),
    variance: row(1), setVariance: put(1),
    inv: row(2), setInv: put(2),
    sumDy: row(3), setSumDy: put(3),
    sumDyXhat: row(4), setSumDyXhat: put(4),
  };
}

/** elements the statistics run over: n samples of m positions */
const count = (p: Parts): Expr => b.mul(b.ref("n"), p.m);

/** A per-channel sum over one sample, kept in a local and stored once (one rounding per sample
 *  in f32 builds, not one per element). */
function channelSum(p: Parts, read: (ch: Expr) => E, store: (ch: Expr, v: E) => Stmt, term: (ch: Expr, at: Expr) => E, setup: (ch: Expr) => Stmt[] = () => []): Stmt {
  return b.for("ch", p.c, (ch) => [
    ...setup(ch),
    b.let("acc", read(ch)),
    b.for("p", p.m, (pos) => [b.assign("acc", term(ch, b.add(b.mul(pos, p.c), ch)), "+=")]),
    store(ch, b.ref("acc")),
  ]);
}

export const batchnormBatch: BatchKernel = {
  forward(node, env): Phase[] {
    const p = parts(node, env);
    const s = stats(node, env, p);
    const xhat = (ch: Expr, at: Expr): Expr => b.mul(b.sub(b.at(p.x, at), s.mean(ch)), s.inv(ch));
    return [
      { once: [b.note("mean[c] = sum over the batch and positions of X[p, c] / N"), b.for("ch", p.c, (ch) => [s.setMean(ch, 0), s.setVariance(ch, 0)])] },
      { each: [channelSum(p, s.mean, s.setMean, (_ch, at) => b.at(p.x, at))] },
      { once: [b.for("ch", p.c, (ch) => [s.setMean(ch, b.div(s.mean(ch), count(p)))])] },
      {
        each: [
          b.note("var[c] = sum of (X[p, c] - mean[c])^2 / N (biased)"),
          channelSum(p, s.variance, s.setVariance, (ch, at) => b.mul(b.sub(b.at(p.x, at), b.ref("mu")), b.sub(b.at(p.x, at), b.ref("mu"))), (ch) => [b.const("mu", s.mean(ch))]),
        ],
      },
      {
        once: [
          b.for("ch", p.c, (ch) => [
            b.const("v", b.div(s.variance(ch), count(p))),
            s.setVariance(ch, b.ref("v")),
            s.setInv(ch, b.div(1, b.math("sqrt", b.add(b.ref("v"), p.attrs.epsilon)))),
          ]),
        ],
      },
      {
        each: [
          b.note("Y[p, c] = (X[p, c] - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c]"),
          eachElement(p, (ch, at) => [b.put(p.y, at, plus(p.beta, ch, times(p.gamma, ch, xhat(ch, at))))]),
        ],
      },
    ];
  },
  backward(node, grad: BackwardNode, env): Phase[] {
    const p = parts(node, env);
    const s = stats(node, env, p);
    const dy = env.value(grad.dy);
    const dx = grad.dxs[0] ?? null;
    const k = paramGrads(node, grad, env, p);
    const xhat = (ch: Expr, at: Expr): Expr => b.mul(b.sub(b.at(p.x, at), s.mean(ch)), s.inv(ch));
    const phases: Phase[] = [
      { once: [b.note("sums of dY and dY * xhat per channel, over the batch"), b.for("ch", p.c, (ch) => [s.setSumDy(ch, 0), s.setSumDyXhat(ch, 0)])] },
      {
        each: [
          channelSum(p, s.sumDy, s.setSumDy, (_ch, at) => b.at(dy, at)),
          channelSum(p, s.sumDyXhat, s.setSumDyXhat, (ch, at) => b.mul(b.at(dy, at), xhat(ch, at))),
        ],
      },
    ];
    const paramUpdates = [
      ...(k.dgamma ? [b.put(k.dgamma, b.ref("ch"), s.sumDyXhat(b.ref("ch")), "+=")] : []),
      ...(k.dbeta ? [b.put(k.dbeta, b.ref("ch"), s.sumDy(b.ref("ch")), "+=")] : []),
    ];
    if (paramUpdates.length > 0) phases.push({ once: [b.note("dgamma[c] += sum dY * xhat; dbeta[c] += sum dY"), b.for("ch", p.c, () => paramUpdates)] });
    if (dx !== null)
      phases.push({
        each: [
          b.note("dX[p, c] += gamma[c] / sqrt(var[c] + eps) * (dY - sum(dY) / N - xhat * sum(dY * xhat) / N)"),
          b.for("ch", p.c, (ch) => [
            b.const("k", times(p.gamma, ch, s.inv(ch))),
            b.const("mdy", b.div(s.sumDy(ch), count(p))),
            b.const("mdyx", b.div(s.sumDyXhat(ch), count(p))),
            b.for("p", p.m, (pos) => {
              const at = b.add(b.mul(pos, p.c), ch);
              return [b.put(env.value(dx), at, b.mul(b.ref("k"), b.sub(b.sub(b.at(dy, at), b.ref("mdy")), b.mul(xhat(ch, at), b.ref("mdyx")))), "+=")];
            }),
          ]),
        ],
      });
    return phases;
  },
  update(node, env) {
    const p = parts(node, env);
    const s = stats(node, env, p);
    const keep = 1 - p.attrs.momentum;
    return [
      b.note(`moving -= (moving - batch statistic) * (1 - ${p.attrs.momentum}), the variance biased (Keras)`),
      b.for("ch", p.c, (ch) => [
        b.put(p.movingMean, ch, b.mul(b.sub(b.at(p.movingMean, ch), s.mean(ch)), keep), "-="),
        b.put(p.movingVariance, ch, b.mul(b.sub(b.at(p.movingVariance, ch), s.variance(ch)), keep), "-="),
      ]),
    ];
  },
  fold(node, producer, env, target, fold) {
    const p = parts(node, env);
    const kernel = env.param(producer, fold.kernel);
    const hasBias = (producer.layer.attrs as { readonly bias?: boolean }).bias === true;
    const bias = hasBias ? env.param(producer, fold.bias) : null;
    // the kernel read as [outer, channels, inner]: the channel's own slices get its scale
    const inner = fold.inner?.(env.shape(producer.inputs[0]!)) ?? 1;
    const at = (r: Expr, ch: Expr, q: Expr): Expr => b.add(b.mul(b.add(b.mul(r, p.c), ch), inner), q);
    return [
      b.note("kernel'[.., c, ..] = kernel[.., c, ..] * sc[c]; bias'[c] = (bias[c] - moving_mean[c]) * sc[c] + beta[c], sc = gamma / sqrt(moving_variance + eps)"),
      b.for("ch", p.c, (ch) => [
        b.const("sc", times(p.gamma, ch, b.div(1, b.math("sqrt", b.add(b.at(p.movingVariance, ch), p.attrs.epsilon))))),
        b.for("r", kernel.size / (p.c * inner), (r) => {
          const scale = (q: Expr): Stmt => b.put(target.kernel, at(r, ch, q), b.mul(b.at(kernel, at(r, ch, q)), b.ref("sc")));
          return inner === 1 ? [scale(b.num(0))] : [b.for("q", inner, (q) => [scale(q)])];
        }),
        b.put(target.bias, ch, plus(p.beta, ch, b.mul(b.sub(bias === null ? 0 : b.at(bias, ch), b.at(p.movingMean, ch)), b.ref("sc")))),
      ]),
    ];
  },
};
