// conv2d as its plain loops, for the readable build: the formula each nest computes in a
// comment above it, the padding tested where a tap can fall into it (no bordered copy).
import type { BackwardNode, ForwardNode, FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { deriveBlock, putActivated } from "./activation.js";
import { geometry, type Geometry } from "./conv2d.js";
import type { KernelEnv } from "./types.js";

/** Input row and column of tap (ky, kx) of output pixel (oy, ox), before the padding test. */
const inputRow = (g: Geometry, oy: Expr, ky: Expr): Expr => b.add(b.mul(oy, g.sh), b.mul(ky, g.dh), -g.pt);
const inputCol = (g: Geometry, ox: Expr, kx: Expr): Expr => b.add(b.mul(ox, g.sw), b.mul(kx, g.dw), -g.pl);

/** The window of output pixel (oy, ox): loops over ky, kx (skipping taps in the padding) and
 *  c, with `iy`, `ix` in scope for `body`. */
function windowTaps(g: Geometry, oy: Expr, ox: Expr, body: (ky: Expr, kx: Expr, c: Expr) => Stmt[]): Stmt {
  const padded = g.pt > 0 || g.pl > 0 || (g.oh - 1) * g.sh + (g.kh - 1) * g.dh >= g.h || (g.ow - 1) * g.sw + (g.kw - 1) * g.dw >= g.w;
  const inside = (v: string, n: number): Stmt[] => (padded ? [b.if(b.or(b.lt(b.ref(v), 0), b.ge(b.ref(v), n)), [b.continue()])] : []);
  return b.for("ky", g.kh, (ky) => [
    b.const("iy", inputRow(g, oy, ky)),
    ...inside("iy", g.h),
    b.for("kx", g.kw, (kx) => [
      b.const("ix", inputCol(g, ox, kx)),
      ...inside("ix", g.w),
      b.for("c", g.c, (c) => body(ky, kx, c)),
    ]),
  ]);
}

const xIndex = (g: Geometry, c: Expr): Expr => b.add(b.mul(b.add(b.mul(b.ref("iy"), g.w), b.ref("ix")), g.c), c);
const kIndex = (g: Geometry, ky: Expr, kx: Expr, c: Expr, f: Expr): Expr => b.add(b.mul(b.add(b.mul(b.add(b.mul(ky, g.kw), kx), g.c), c), g.f), f);
const yIndex = (g: Geometry, oy: Expr, ox: Expr, f: Expr): Expr => b.add(b.mul(b.add(b.mul(oy, g.ow), ox), g.f), f);

function taps(g: Geometry): string {
  const at = (o: string, s: number, k: string, d: number, p: number): string => `${o}${s > 1 ? `*${s}` : ""} + ${k}${d > 1 ? `*${d}` : ""}${p > 0 ? ` - ${p}` : ""}`;
  return `X[${at("oy", g.sh, "ky", g.dh, g.pt)}, ${at("ox", g.sw, "kx", g.dw, g.pl)}, c]`;
}

export function convForwardPlain(node: ForwardNode, env: KernelEnv): Stmt[] {
  const g = geometry(node, env);
  const bias = g.bias ? env.param(node, 1) : null;
  return forwardPlain(g, env.value(node.inputs[0]!), env.param(node, 0), bias, env.value(node.output), node.fused?.activation, env.preActivation(node), env.precision);
}

/** Y[oy, ox, f] = act(B[f] + sum over the window of X * W), the plain nest (conv2d.ts derives
 *  the tuned schedule from it). */
export function forwardPlain(g: Geometry, x: Region, k: Region, bias: Region | null, y: Region, act: FusedActivation | undefined, pre: Region | undefined, precision: "f32" | "f64"): Stmt[] {
  const formulaText = `${act ? `${act.op}(` : ""}${bias ? "B[f] + " : ""}sum over ky, kx, c of ${taps(g)} * W[ky, kx, c, f]${act ? ")" : ""}`;
  return [
    b.note(`Y[oy, ox, f] = ${formulaText}${g.pt + g.pl > 0 ? ", the padding read as 0" : ""}`),
    b.for("oy", g.oh, (oy) => [
      b.for("ox", g.ow, (ox) => [
        b.for("f", g.f, (f) => [
          b.let("sum", bias ? b.at(bias, f) : 0),
          windowTaps(g, oy, ox, (ky, kx, c) => [b.assign("sum", b.mul(b.at(x, xIndex(g, c)), b.at(k, kIndex(g, ky, kx, c, f))), "+=")]),
          ...putActivated(act, y, pre, yIndex(g, oy, ox, f), b.ref("sum"), precision),
        ]),
      ]),
    ]),
  ];
}

/** dB[f] += sum over oy, ox of dY[oy, ox, f], the plain nest (conv2d.ts's biasGrad derives its
 *  tuned schedule from it). */
export function biasGradPlain(g: Geometry, dy: Region, gb: Region): Stmt[] {
  return [
    b.note("dB[f] += sum over oy, ox of dY[oy, ox, f]"),
    b.for("oy", g.oh, (oy) => [b.for("ox", g.ow, (ox) => [b.for("f", g.f, (f) => [b.put(gb, f, b.at(dy, yIndex(g, oy, ox, f)), "+=")])])]),
  ];
}

const pixels = (g: Geometry, body: (oy: Expr, ox: Expr) => Stmt[]): Stmt => b.for("oy", g.oh, (oy) => [b.for("ox", g.ow, (ox) => body(oy, ox))]);

/** dX[window of each pixel] += W . dY[pixel], the plain nest. */
export function inputGradPlain(g: Geometry, dy: Region, k: Region, dx: Region): Stmt[] {
  return [
    b.note(`d${taps(g)} += sum over f of W[ky, kx, c, f] * dY[oy, ox, f], for every oy, ox, ky, kx`),
    pixels(g, (oy, ox) => [
      windowTaps(g, oy, ox, (ky, kx, c) => [
        b.for("f", g.f, (f) => [b.put(dx, xIndex(g, c), b.mul(b.at(k, kIndex(g, ky, kx, c, f)), b.at(dy, yIndex(g, oy, ox, f))), "+=")]),
      ]),
    ]),
  ];
}

/** dW[ky, kx, c, f] += sum over the pixels of X[tap] * dY[pixel, f], the plain nest. */
export function weightGradPlain(g: Geometry, x: Region, dy: Region, gk: Region): Stmt[] {
  return [
    b.note(`dW[ky, kx, c, f] += sum over oy, ox of ${taps(g)} * dY[oy, ox, f]`),
    pixels(g, (oy, ox) => [
      windowTaps(g, oy, ox, (ky, kx, c) => [
        b.for("f", g.f, (f) => [b.put(gk, kIndex(g, ky, kx, c, f), b.mul(b.at(x, xIndex(g, c)), b.at(dy, yIndex(g, oy, ox, f))), "+=")]),
      ]),
    ]),
  ];
}

export function convBackwardPlain(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[] {
  const g = geometry(node, env);
  const x = env.value(node.inputs[0]!);
  const dy = env.value(grad.dy);
  const k = env.param(node, 0);
  const dx = grad.dxs[0] ?? null;
  const out: Stmt[] = [...deriveBlock(node, env, dy)];
  // a frozen layer's backward only carries the gradient through to its input
  if (g.bias && grad.paramGrads) out.push(...biasGradPlain(g, dy, env.paramGrad(node, 1)));
  if (dx !== null) out.push(...inputGradPlain(g, dy, k, env.value(dx)));
  if (grad.paramGrads) out.push(...weightGradPlain(g, x, dy, env.paramGrad(node, 0)));
  return out;
}
