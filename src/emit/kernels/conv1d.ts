// conv1d along a sequence [n, c], kernel [k, c/groups, filters], grouped: output channel f of
// group g = floor(f / (filters/groups)) reads input channels g*(c/groups) .. (g+1)*(c/groups)-1.
// One loop nest per direction: output step, group, filter, then the taps and the group's
// channels, summed in a local. The tuned build unrolls the taps (up to UNROLL_TAPS) and tests the
// sequence's ends only on the taps that can cross them; the readable build keeps the tap loop.
import type { BackwardNode, ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { biasSums } from "./grouped-conv.js";
import { deriveBlock, putActivated } from "./activation.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Kernels up to this many taps are unrolled in the tuned build. */
const UNROLL_TAPS = 16;

interface Geometry {
  /** input length and channels, output length and filters */
  readonly n: number; readonly c: number; readonly on: number; readonly f: number;
  readonly k: number; readonly s: number; readonly d: number;
  /** cells padded before the first step (`causal` pads only there) */
  readonly pl: number;
  readonly groups: number;
  /** input channels and filters per group */
  readonly cg: number; readonly fg: number;
  readonly bias: boolean;
}

function geometry(node: ForwardNode, env: KernelEnv): Geometry {
  if (node.layer.op !== "conv1d") throw new Error("internal: conv1d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  const [n, c] = env.shape(node.inputs[0]!) as [number, number];
  const [on, f] = env.shape(node.output) as [number, number];
  return { n, c, on, f, k: a.kernel, s: a.stride, d: a.dilation, pl: a.padding.left, groups: a.groups, cg: c / a.groups, fg: f / a.groups, bias: a.bias };
}

/** Loops over output steps o, groups g and the group's filters j, with `fo = g*fg + j` in scope.
 *  One group needs no loop: g is 0. */
function outputs(g: Geometry, body: (o: Expr, grp: Expr) => Stmt[]): Stmt {
  const perGroup = (o: Expr, grp: Expr): Stmt => b.for("j", g.fg, (j) => [b.const("fo", b.add(b.mul(grp, g.fg), j)), ...body(o, grp)]);
  return b.for("o", g.on, (o) => [g.groups === 1 ? perGroup(o, b.num(0)) : b.for("g", g.groups, (grp) => [perGroup(o, grp)])]);
}

/** The taps t of output step o, each with its input step `i = o*s + t*d - pl` in scope and the
 *  ends of the sequence tested only where a tap can cross them. */
function taps(g: Geometry, o: Expr, readable: boolean, body: (t: Expr) => Stmt[]): Stmt[] {
  const last = (g.on - 1) * g.s;
  const tests = (offset: number | null): Expr | null => {
    const before = offset === null ? g.pl > 0 : offset < 0;
    const after = offset === null ? last + (g.k - 1) * g.d - g.pl >= g.n : last + offset >= g.n;
    const parts = [...(before ? [b.ge(b.ref("i"), 0)] : []), ...(after ? [b.lt(b.ref("i"), g.n)] : [])];
    return parts.length === 0 ? null : parts.reduce((x, y) => b.and(x, y));
  };
  const guarded = (test: Expr | null, stmts: Stmt[]): Stmt[] => (test === null ? stmts : [b.if(test, stmts)]);
  if (readable || g.k > UNROLL_TAPS)
    return [b.for("t", g.k, (t) => [b.const("i", b.add(b.mul(o, g.s), b.mul(t, g.d), -g.pl)), ...guarded(tests(null), body(t))])];
  const out: Stmt[] = [];
  for (let t = 0; t < g.k; t++) {
    const offset = t * g.d - g.pl;
    out.push(b.block(b.const("i", b.add(b.mul(o, g.s), offset)), ...guarded(tests(offset), body(b.num(t)))));
  }
  return out;
}

const xIndex = (g: Geometry, grp: Expr, ci: Expr): Expr => b.add(b.mul(b.ref("i"), g.c), b.mul(grp, g.cg), ci);
const kIndex = (g: Geometry, t: Expr, ci: Expr): Expr => b.add(b.mul(b.add(b.mul(t, g.cg), ci), g.f), b.ref("fo"));
const yIndex = (g: Geometry, o: Expr): Expr => b.add(b.mul(o, g.f), b.ref("fo"));

function tapText(g: Geometry): string {
  return `X[o${g.s > 1 ? `*${g.s}` : ""} + t${g.d > 1 ? `*${g.d}` : ""}${g.pl > 0 ? ` - ${g.pl}` : ""}, ${g.groups > 1 ? `g*${g.cg} + ` : ""}ci]`;
}

function forward(node: ForwardNode, env: KernelEnv): Stmt[] {
  const g = geometry(node, env);
  const x = env.value(node.inputs[0]!);
  const y = env.value(node.output);
  const k = env.param(node, 0);
  const bias = g.bias ? env.param(node, 1) : null;
  const act = node.fused?.activation;
  const sum = `${bias ? "B[f] + " : ""}sum over t, ci of ${tapText(g)} * W[t, ci, f]`;
  return [
    b.note(`Y[o, f] = ${act ? `${act.op}(${sum})` : sum}${g.pl > 0 ? ", the padding read as 0" : ""}`),
    outputs(g, (o, grp) => [
      b.let("sum", bias ? b.at(bias, b.ref("fo")) : 0),
      ...taps(g, o, env.readable, (t) => [
        b.for("ci", g.cg, (ci) => [b.assign("sum", b.mul(b.at(x, xIndex(g, grp, ci)), b.at(k, kIndex(g, t, ci))), "+=")]),
      ]),
      ...putActivated(act, y, env.preActivation(node), yIndex(g, o), b.ref("sum"), env.precision),
    ]),
  ];
}

function backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[] {
  const g = geometry(node, env);
  const x = env.value(node.inputs[0]!);
  const dy = env.value(grad.dy);
  const k = env.param(node, 0);
  // a frozen layer's backward only carries the gradient through to its input
  const gk = grad.paramGrads ? env.paramGrad(node, 0) : null;
  const gb = g.bias && grad.paramGrads ? env.paramGrad(node, 1) : null;
  const dx = grad.dxs[0] ? env.value(grad.dxs[0]) : null;
  const tap = tapText(g);
  // the parameter gradients are sums over the steps: kept in locals, added once each
  return [
    ...deriveBlock(node, env, dy),
    ...(gb ? [b.note("dB[f] += sum over o of dY[o, f]"), ...biasSums({ oh: g.on, ow: 1, f: g.f }, dy, gb)] : []),
    ...(gk ? [b.note(`dW[t, ci, f] += sum over o of ${tap} * dY[o, f]`), ...kernelSums(g, x, dy, gk)] : []),
    ...(dx
      ? [
          b.note(`d${tap} += W[t, ci, f] * dY[o, f]`),
          outputs(g, (o, grp) => [
            b.const("gy", b.at(dy, yIndex(g, o))),
            ...taps(g, o, env.readable, (t) => [b.for("ci", g.cg, (ci) => [b.put(dx, xIndex(g, grp, ci), b.mul(b.at(k, kIndex(g, t, ci)), b.ref("gy")), "+=")])]),
          ]),
        ]
      : []),
  ];
}

/** dW[t, ci, f] += the sum over the output steps o whose tap t is inside the sequence of
 *  X[o*s + t*d - pl, g*cg + ci] * dY[o, f], in a local. */
function kernelSums(g: Geometry, x: Region, dy: Region, gk: Region): Stmt[] {
  const perFilter = (t: Expr, ci: Expr, grp: Expr): Stmt => b.for("j", g.fg, (j) => [
    b.const("fo", b.add(b.mul(grp, g.fg), j)),
    b.let("sum", 0),
    b.for("o", g.on, (o) => [
      b.const("i", b.add(b.mul(o, g.s), b.mul(t, g.d), -g.pl)),
      ...(g.pl > 0 || (g.on - 1) * g.s + (g.k - 1) * g.d - g.pl >= g.n ? [b.if(b.or(b.lt(b.ref("i"), 0), b.ge(b.ref("i"), g.n)), [b.continue()])] : []),
      b.assign("sum", b.mul(b.at(x, xIndex(g, grp, ci)), b.at(dy, yIndex(g, o))), "+="),
    ]),
    b.put(gk, kIndex(g, t, ci), b.ref("sum"), "+="),
  ]);
  return [
    b.for("t", g.k, (t) => [
      b.for("ci", g.cg, (ci) => [g.groups === 1 ? perFilter(t, ci, b.num(0)) : b.for("g", g.groups, (grp) => [perFilter(t, ci, grp)])]),
    ]),
  ];
}

export const conv1d: Kernel = { forward: (node, env) => forward(node, env), backward };
