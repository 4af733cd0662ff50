// conv2d_transpose, HWC, kernel [kh, kw, filters, c]: each input pixel scatters W . X[iy, ix]
// into the output window it maps to (the adjoint of a conv2d's gather), the cropped cells
// skipped; the bias first, the fused activation over the finished sums. The backward pass is
// that conv2d's forward pass (dX gathers W . dY over the window) and its weight gradient.
// The crop is tested per kernel row and column, only where it can be reached. The readable build
// prints the loops as written; the tuned build takes 4 filters at a time, so each input load
// feeds 4 multiply-adds (and each dX update 4 kernel taps), and unrolls a short channel loop.
import type { ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { deriveBlock, putActivated } from "./activation.js";
import { range } from "../code.js";
import { blocks } from "./blocks.js";
import { biasSums } from "./grouped-conv.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Channel loops up to this long are unrolled in the tuned build. */
const UNROLL_CHANNELS = 16;

/** Filters the tuned build accumulates together. */
const FILTER_BLOCK = 4;

/** `body` over filters f0 .. f0 + size - 1: full blocks of FILTER_BLOCK in a loop, then the rest. */
const filterBlocks = (f: number, body: (f0: Expr, size: number) => Stmt[]): Stmt[] => blocks(f, body, FILTER_BLOCK, "f0");


interface TransposeGeometry {
  readonly h: number; readonly w: number; readonly c: number;
  readonly oh: number; readonly ow: number; readonly f: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly pt: number; readonly pl: number;
  readonly bias: boolean;
  readonly unroll: boolean;
  readonly readable: boolean;
}

function geometry(node: ForwardNode, env: KernelEnv): TransposeGeometry {
  if (node.layer.op !== "conv2d_transpose") throw new Error("internal: conv2d_transpose kernel on " + node.layer.op);
  const a = node.layer.attrs;
  const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [oh, ow, f] = env.shape(node.output) as [number, number, number];
  return {
    h, w, c, oh, ow, f,
    kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1], pt: a.padding.top, pl: a.padding.left,
    bias: a.bias,
    unroll: !env.readable && c <= UNROLL_CHANNELS,
    readable: env.readable,
  };
}

/** Every (iy, ix, ky, kx) whose output cell (oy, ox) is inside the output, `oy` and `ox` in scope. */
/** `continue` when output cell `v` is cropped: below 0 (`low`) or at `n` and past (`high`),
 *  tested only on the sides it can reach. */
function cropped(v: string, n: number, low: boolean, high: boolean): Stmt[] {
  if (!low && !high) return [];
  const out = low && high ? b.or(b.lt(b.ref(v), 0), b.ge(b.ref(v), n)) : low ? b.lt(b.ref(v), 0) : b.ge(b.ref(v), n);
  return [b.if(out, [b.continue()])];
}

/** Output row oy = iy*sh + ky - pt, tested against the crop where it can be reached. */
const rowTap = (g: TransposeGeometry, iy: Expr, ky: Expr): Stmt[] => [
  b.const("oy", b.add(b.mul(iy, g.sh), ky, -g.pt)),
  ...cropped("oy", g.oh, g.pt > 0, (g.h - 1) * g.sh + g.kh - 1 - g.pt >= g.oh),
];
const columnTap = (g: TransposeGeometry, ix: Expr, kx: Expr): Stmt[] => [
  b.const("ox", b.add(b.mul(ix, g.sw), kx, -g.pl)),
  ...cropped("ox", g.ow, g.pl > 0, (g.w - 1) * g.sw + g.kw - 1 - g.pl >= g.ow),
];

function window(g: TransposeGeometry, body: (iy: Expr, ix: Expr, ky: Expr, kx: Expr) => Stmt[]): Stmt {
  return b.for("iy", g.h, (iy) => [
    b.for("ix", g.w, (ix) => [
      b.for("ky", g.kh, (ky) => [
        ...rowTap(g, iy, ky),
        b.for("kx", g.kw, (kx) => [
          ...columnTap(g, ix, kx),
          ...body(iy, ix, ky, kx),
        ]),
      ]),
    ]),
  ]);
}

const xIndex = (g: TransposeGeometry, iy: Expr, ix: Expr, ci: Expr): Expr => b.add(b.mul(b.add(b.mul(iy, g.w), ix), g.c), ci);
const yIndex = (g: TransposeGeometry, fo: Expr): Expr => b.add(b.mul(b.add(b.mul(b.ref("oy"), g.ow), b.ref("ox")), g.f), fo);
const kIndex = (g: TransposeGeometry, ky: Expr, kx: Expr, fo: Expr, ci: Expr): Expr => b.add(b.mul(b.add(b.mul(b.add(b.mul(ky, g.kw), kx), g.f), fo), g.c), ci);

function crop(g: TransposeGeometry): string {
  return `${g.pt ? ` - ${g.pt}` : ""}, ix*${g.sw} + kx${g.pl ? ` - ${g.pl}` : ""}`;
}

/** dW[ky, kx, f, c] += the sum over the input pixels whose tap (ky, kx) lands inside the output
 *  of X[iy, ix, c] * dY[oy, ox, f], in a local (crop tested where it can be reached). */
function kernelSums(g: TransposeGeometry, x: Region, dy: Region, gk: Region): Stmt[] {
  return [
    b.for("ky", g.kh, (ky) => [
      b.for("kx", g.kw, (kx) => [
        b.for("fo", g.f, (fo) => [
          b.for("ci", g.c, (ci) => [
            b.let("sum", 0),
            b.for("iy", g.h, (iy) => [
              ...rowTap(g, iy, ky),
              b.for("ix", g.w, (ix) => [
                ...columnTap(g, ix, kx),
                b.assign("sum", b.mul(b.at(x, xIndex(g, iy, ix, ci)), b.at(dy, yIndex(g, fo))), "+="),
              ]),
            ]),
            b.put(gk, kIndex(g, ky, kx, fo, ci), b.ref("sum"), "+="),
          ]),
        ]),
      ]),
    ]),
  ];
}

export const conv2dTranspose: Kernel = {
  forward(node, env) {
    const g = geometry(node, env);
    const x = env.value(node.inputs[0]!);
    const y = env.value(node.output);
    const k = env.param(node, 0);
    const bias = g.bias ? env.param(node, 1) : null;
    const act = node.fused?.activation;
    const start = bias
      ? b.for("p", g.oh * g.ow, (p) => [b.for("fo", g.f, (fo) => [b.put(y, b.add(b.mul(p, g.f), fo), b.at(bias, fo))])])
      : b.for("i", g.oh * g.ow * g.f, (i) => [b.put(y, i, 0)]);
    return [
      b.note(`Y[oy, ox, f] = ${bias ? "B[f]" : "0"}, then Y[iy*${g.sh} + ky${crop(g)}, f] += sum over c of X[iy, ix, c] * W[ky, kx, f, c] for every iy, ix, ky, kx inside the output`),
      start,
      window(g, (iy, ix, ky, kx) =>
        g.readable
          ? [
              b.for("fo", g.f, (fo) => [
                b.let("sum", 0),
                b.for("ci", g.c, (ci) => [b.assign("sum", b.mul(b.at(x, xIndex(g, iy, ix, ci)), b.at(k, kIndex(g, ky, kx, fo, ci))), "+=")]),
                b.put(y, yIndex(g, fo), b.ref("sum"), "+="),
              ]),
            ]
          : filterBlocks(g.f, (f0, size) => [
              ...range(size).map((i) => b.let(`s${i}`, 0)),
              b.for("ci", g.c, (ci) => [
                b.const("v", b.at(x, xIndex(g, iy, ix, ci))),
                ...range(size).map((i) => b.assign(`s${i}`, b.mul(b.ref("v"), b.at(k, kIndex(g, ky, kx, b.add(f0, i), ci))), "+=")),
              ], { unroll: g.unroll }),
              ...range(size).map((i) => b.put(y, yIndex(g, b.add(f0, i)), b.ref(`s${i}`), "+=")),
            ]),
      ),
      ...(act ? [b.note(`Y = ${act.op}(Y)`), b.for("i", y.size, (i) => [b.const("v", b.at(y, i)), ...putActivated(act, y, env.preActivation(node), i, b.ref("v"), env.precision)])] : []),
    ];
  },

  backward(node, grad, env) {
    const g = geometry(node, env);
    const x = env.value(node.inputs[0]!);
    const dy = env.value(grad.dy);
    const k = env.param(node, 0);
    // a frozen layer's backward only carries the gradient through to its input
    const gk = grad.paramGrads ? env.paramGrad(node, 0) : null;
    const dxValue = grad.dxs[0] ?? null;
    const dx = dxValue === null ? null : env.value(dxValue);
    const out: Stmt[] = [...deriveBlock(node, env, dy)];
    // the parameter gradients are sums over many pixels: kept in locals, added once each
    if (g.bias && grad.paramGrads) out.push(b.note("dB[f] += sum over oy, ox of dY[oy, ox, f]"), ...biasSums(g, dy, env.paramGrad(node, 1)));
    if (gk) out.push(b.note(`dW[ky, kx, f, c] += sum over iy, ix of X[iy, ix, c] * dY[iy*${g.sh} + ky${crop(g)}, f], the cells inside the output`), ...kernelSums(g, x, dy, gk));
    if (dx === null) return out;
    out.push(
      b.note(`for each tap, with d = dY[iy*${g.sh} + ky${crop(g)}, f]: dX[iy, ix, c] += W[ky, kx, f, c] * d`),
      window(g, (iy, ix, ky, kx) =>
        g.readable
          ? [
              b.for("fo", g.f, (fo) => [
                b.const("d", b.at(dy, yIndex(g, fo))),
                b.for("ci", g.c, (ci) => [b.put(dx, xIndex(g, iy, ix, ci), b.mul(b.at(k, kIndex(g, ky, kx, fo, ci)), b.ref("d")), "+=")]),
              ]),
            ]
          : filterBlocks(g.f, (f0, size) => [
              ...range(size).map((i) => b.const(`d${i}`, b.at(dy, yIndex(g, b.add(f0, i))))),
              b.for("ci", g.c, (ci) => [
                b.put(dx, xIndex(g, iy, ix, ci), b.sum(range(size).map((i) => b.mul(b.at(k, kIndex(g, ky, kx, b.add(f0, i), ci)), b.ref(`d${i}`)))), "+="),
              ], { unroll: g.unroll }),
            ]),
      ),
    );
    return out;
  },
};
