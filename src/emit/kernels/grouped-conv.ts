// A grouped convolution, HWC: the input's c channels and the output's f channels are split into
// `groups` groups; output channel gi * fg + fo sums over the cg input channels of group gi only,
// with the kernel [kh, kw, cg, f]. conv2d with groups > 1 is this kernel, and so is
// depthwise_conv2d: groups = c, cg = 1, and its kernel [kh, kw, c, m] is, element for element,
// the grouped kernel [kh, kw, 1, c * m] (output channel ci * m + j).
// One loop nest serves both builds: the tuned build reads the zero-bordered copy of a padded
// input (so no tap is tested) and unrolls a small window; the readable build tests the taps
// that can fall into the padding and keeps its loops.
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import type { Padding, Shape } from "../../check/types.js";
import type { ForwardNode } from "../../ir/graph.js";
import { deriveBlock, putActivated } from "./activation.js";
import { interior } from "../../kernel/passes/border.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Window taps unrolled when the whole window (kh * kw * cg taps) is at most this. */
const UNROLL_TAPS = 64;

export interface GroupGeometry {
  readonly h: number; readonly w: number; readonly c: number;
  readonly oh: number; readonly ow: number; readonly f: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly dh: number; readonly dw: number;
  readonly pt: number; readonly pl: number;
  readonly groups: number;
  /** input and output channels per group */
  readonly cg: number; readonly fg: number;
  /** width of the buffer the window slides over: the bordered copy's, or the input's */
  readonly wp: number;
  /** reading the zero-bordered copy: tap coordinates are not shifted and never tested */
  readonly bordered: boolean;
  /** some tap of some output pixel falls into the padding (only tested when not bordered) */
  readonly tested: boolean;
}

export interface GroupWindow {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
}

/** The geometry of a grouped window over `input` giving `output` (f channels in `groups`). */
export function groupGeometry(node: ForwardNode, env: KernelEnv, a: GroupWindow, groups: number, output: readonly number[]): GroupGeometry {
  const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [oh, ow, f] = output as [number, number, number];
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const [dh, dw] = a.dilation;
  const p = a.padding;
  const bordered = env.padded(node) !== undefined;
  const reachesPadding = p.top > 0 || p.left > 0 || (oh - 1) * sh + (kh - 1) * dh - p.top >= h || (ow - 1) * sw + (kw - 1) * dw - p.left >= w;
  return {
    h, w, c, oh, ow, f, kh, kw, sh, sw, dh, dw, pt: p.top, pl: p.left, groups,
    cg: c / groups, fg: f / groups,
    wp: bordered ? w + p.left + p.right : w,
    bordered,
    tested: !bordered && reachesPadding,
  };
}

/** `for (v < n)`, or the body once with v = 0 when n is 1 (a depthwise multiplier of 1) and
 *  the body has no `continue` that needs the loop. */
function loop(v: string, n: number, body: (i: Expr) => Stmt[], unroll = false, keep = false): Stmt[] {
  return n === 1 && !keep ? body(b.num(0)) : [b.for(v, n, body, { unroll })];
}

/** The taps of output pixel (oy, ox) for output channel group `gi`: loops over ky, kx, ci with
 *  `body(x, k)` given the tap's input index (in the buffer slid over) and kernel index, for
 *  output channel `f`. */
function taps(g: GroupGeometry, oy: Expr, ox: Expr, gi: Expr, f: Expr, body: (x: Expr, k: Expr) => Stmt[]): Stmt[] {
  const shift = g.bordered ? 0 : 1;
  const unroll = !g.tested && g.kh * g.kw * g.cg <= UNROLL_TAPS;
  // With taps to test, the row and column are named locals; without, they stay in the index
  // expression, which the fold pass reduces to one offset from the pixel.
  const coordinate = (v: string, at: Expr, n: number, body: (e: Expr) => Stmt[]): Stmt[] =>
    g.tested ? [b.const(v, at), b.if(b.or(b.lt(b.ref(v), 0), b.ge(b.ref(v), n)), [b.continue()]), ...body(b.ref(v))] : body(at);
  const channels = (ky: Expr, iy: Expr, kx: Expr, ix: Expr): Stmt[] =>
    loop("ci", g.cg, (ci) => {
      const x = b.add(b.mul(b.add(b.mul(iy, g.wp), ix), g.c), b.mul(gi, g.cg), ci);
      const k = b.add(b.mul(b.add(b.mul(b.add(b.mul(ky, g.kw), kx), g.cg), ci), g.f), f);
      return body(x, k);
    }, unroll);
  const column = (ky: Expr, iy: Expr) => (kx: Expr): Stmt[] =>
    coordinate("ix", b.add(b.mul(ox, g.sw), b.mul(kx, g.dw), -g.pl * shift), g.w, (ix) => channels(ky, iy, kx, ix));
  const row = (ky: Expr): Stmt[] =>
    coordinate("iy", b.add(b.mul(oy, g.sh), b.mul(ky, g.dh), -g.pt * shift), g.h, (iy) => loop("kx", g.kw, column(ky, iy), unroll, g.tested));
  return loop("ky", g.kh, row, unroll, g.tested);
}

/** Every output element (oy, ox, f = gi * fg + fo), with `body` given f and its output index. */
function outputs(g: GroupGeometry, body: (oy: Expr, ox: Expr, gi: Expr, f: Expr, yi: Expr) => Stmt[]): Stmt[] {
  return [
    b.for("oy", g.oh, (oy) => [
      b.for("ox", g.ow, (ox) =>
        loop("gi", g.groups, (gi) =>
          loop("fo", g.fg, (fo) => {
            const f = b.add(b.mul(gi, g.fg), fo);
            return body(oy, ox, gi, f, b.add(b.mul(b.add(b.mul(oy, g.ow), ox), g.f), f));
          }),
        ),
      ),
    ]),
  ];
}

/** How the readable build's notes name the arrays: the output `Y` (separable's depthwise step: `D`). */
export interface NoteNames {
  readonly y: string;
}

/** The tap's input cell as the notes write it: `X[oy*2 + ky - 1, ox + kx*2, c]`. */
function tapText(g: GroupGeometry, channel: string): string {
  const at = (o: string, s: number, k: string, d: number, p: number): string => `${o}${s > 1 ? `*${s}` : ""} + ${k}${d > 1 ? `*${d}` : ""}${p > 0 ? ` - ${p}` : ""}`;
  return `X[${at("oy", g.sh, "ky", g.dh, g.pt)}, ${at("ox", g.sw, "kx", g.dw, g.pl)}, ${channel}]`;
}

/** The forward formula: depthwise (one input channel per group) or grouped. */
function forwardText(g: GroupGeometry, y: string, bias: boolean, act: string | undefined): string {
  const wrap = (s: string): string => (act ? `${act}(${s})` : s);
  const padding = g.tested ? ", the padding read as 0" : "";
  if (g.cg === 1) {
    const out = g.fg === 1 ? "c" : `c*${g.fg} + j`;
    const w = g.fg === 1 ? "W[ky, kx, c, 0]" : "W[ky, kx, c, j]";
    return `${y}[oy, ox, ${out}] = ${wrap(`${bias ? `B[${out}] + ` : ""}sum over ky, kx of ${tapText(g, "c")} * ${w}`)}${padding}`;
  }
  const sum = `sum over ky, kx, ci of ${tapText(g, `g*${g.cg} + ci`)} * W[ky, kx, ci, f]`;
  return `${y}[oy, ox, f] = ${wrap(`${bias ? "B[f] + " : ""}${sum}`)}, g = floor(f / ${g.fg}) the group of f${padding}`;
}

export interface GroupedRegions {
  /** the buffer the window slides over: the input, or its zero-bordered copy */
  readonly x: Region;
  readonly k: Region;
  readonly bias: Region | null;
  readonly y: Region;
  /** where the sums are kept too, when the fused activation's derivative reads its input */
  readonly pre?: Region;
}

/** Y[oy, ox, f] = act(B[f] + sum over ky, kx, ci of X[oy*sh + ky*dh - pt, ox*sw + kx*dw - pl,
 *  gi*cg + ci] * W[ky, kx, ci, f]). */
export function groupedForward(g: GroupGeometry, r: GroupedRegions, act: FusedActivation | undefined, precision: "f32" | "f64", names: NoteNames = { y: "Y" }): Stmt[] {
  return [
    b.note(forwardText(g, names.y, r.bias !== null, act?.op)),
    ...outputs(g, (oy, ox, gi, f, yi) => [
      b.let("sum", r.bias ? b.at(r.bias, f) : 0),
      ...taps(g, oy, ox, gi, f, (x, k) => [b.assign("sum", b.mul(b.at(r.x, x), b.at(r.k, k)), "+=")]),
      ...putActivated(act, r.y, r.pre, yi, b.ref("sum"), precision),
    ]),
  ];
}

export interface GroupedGradRegions {
  readonly x: Region;
  readonly k: Region;
  readonly dy: Region;
  /** dW (null for a frozen layer), dB, and dX in the layout of `x` (the bordered gradient when
   *  x is bordered), or null */
  readonly gk: Region | null;
  readonly gb: Region | null;
  readonly dx: Region | null;
}

/** The backward pass: the bias and kernel gradients as sums over the output pixels, each kept in
 *  a local (a float64 in JavaScript) and added to the gradient once (one float32 rounding per
 *  element, not one per pixel: over a large image, per-pixel rounding of a running sum drifts),
 *  then one nest over the output adding each tap's W * dY to dX. */
export function groupedBackward(g: GroupGeometry, r: GroupedGradRegions, names: NoteNames = { y: "Y" }): Stmt[] {
  const d = `d${names.y}`;
  const tap = g.cg === 1 ? tapText(g, "c") : tapText(g, `g*${g.cg} + ci`);
  const w = g.cg === 1 ? (g.fg === 1 ? "W[ky, kx, c, 0]" : "W[ky, kx, c, j]") : "W[ky, kx, ci, f]";
  const out = g.cg === 1 ? (g.fg === 1 ? "c" : `c*${g.fg} + j`) : "f";
  return [
    ...(r.gb ? [b.note(`dB[${out}] += sum over oy, ox of ${d}[oy, ox, ${out}]`), ...biasSums(g, r.dy, r.gb)] : []),
    ...(r.gk ? [b.note(`d${w} += sum over oy, ox of ${tap} * ${d}[oy, ox, ${out}]`), ...kernelSums(g, r.x, r.dy, r.gk)] : []),
    ...(r.dx
      ? [
          b.note(`for each ${d}[oy, ox, ${out}] and each tap of its window: d${tap} += ${w} * ${d}`),
          ...outputs(g, (oy, ox, gi, f, yi) => [
            b.const("d", b.at(r.dy, yi)),
            ...taps(g, oy, ox, gi, f, (x, k) => [b.put(r.dx!, x, b.mul(b.at(r.k, k), b.ref("d")), "+=")]),
          ]),
        ]
      : []),
  ];
}

/** dB[f] += the sum of dY[p, f] over the output pixels p, in a local. */
export function biasSums(g: { readonly oh: number; readonly ow: number; readonly f: number }, dy: Region, gb: Region): Stmt[] {
  return [
    b.for("f", g.f, (f) => [
      b.let("sum", 0),
      b.for("p", g.oh * g.ow, (p) => [b.assign("sum", b.at(dy, b.add(b.mul(p, g.f), f)), "+=")]),
      b.put(gb, f, b.ref("sum"), "+="),
    ]),
  ];
}

/** dW[ky, kx, ci, f] += the sum over the output pixels of the tap's input times dY[oy, ox, f], in
 *  a local; taps in the padding skipped (tested only where they can be, as in taps()). */
function kernelSums(g: GroupGeometry, x: Region, dy: Region, gk: Region): Stmt[] {
  const shift = g.bordered ? 0 : 1;
  const coordinate = (v: string, at: Expr, n: number): Stmt[] => (g.tested ? [b.const(v, at), b.if(b.or(b.lt(b.ref(v), 0), b.ge(b.ref(v), n)), [b.continue()])] : [b.const(v, at)]);
  const element = (ky: Expr, kx: Expr, ci: Expr, gi: Expr, f: Expr): Stmt[] => [
    b.let("sum", 0),
    b.for("oy", g.oh, (oy) => [
      ...coordinate("iy", b.add(b.mul(oy, g.sh), b.mul(ky, g.dh), -g.pt * shift), g.h),
      b.for("ox", g.ow, (ox) => [
        ...coordinate("ix", b.add(b.mul(ox, g.sw), b.mul(kx, g.dw), -g.pl * shift), g.w),
        b.assign("sum", b.mul(b.at(x, b.add(b.mul(b.add(b.mul(b.ref("iy"), g.wp), b.ref("ix")), g.c), b.mul(gi, g.cg), ci)), b.at(dy, b.add(b.mul(b.add(b.mul(oy, g.ow), ox), g.f), f))), "+="),
      ]),
    ]),
    b.put(gk, b.add(b.mul(b.add(b.mul(b.add(b.mul(ky, g.kw), kx), g.cg), ci), g.f), f), b.ref("sum"), "+="),
  ];
  return loop("ky", g.kh, (ky) =>
    loop("kx", g.kw, (kx) =>
      loop("ci", g.cg, (ci) => loop("gi", g.groups, (gi) => loop("fo", g.fg, (fo) => element(ky, kx, ci, gi, b.add(b.mul(gi, g.fg), fo))))),
    ),
  );
}

/** What a grouped op is: its window, its groups, its output shape, whether it has a bias. */
export interface GroupedLayer {
  readonly window: GroupWindow;
  readonly groups: number;
  readonly output: Shape;
  readonly bias: boolean;
}

/** The kernel of an op that is one grouped convolution with parameters kernel, then bias. */
export function groupedKernel(describe: (node: ForwardNode, env: KernelEnv) => GroupedLayer): Kernel {
  return {
    forward(node, env) {
      const d = describe(node, env);
      const g = groupGeometry(node, env, d.window, d.groups, d.output);
      const pad = env.padded(node);
      const x = env.value(node.inputs[0]!);
      const pre = env.preActivation(node);
      const regions = { x: pad ? pad.input : x, k: env.param(node, 0), bias: d.bias ? env.param(node, 1) : null, y: env.value(node.output), ...(pre ? { pre } : {}) };
      return [...(pad ? interior(g, x, pad.input, "in") : []), ...groupedForward(g, regions, node.fused?.activation, env.precision)];
    },
    backward(node, grad, env) {
      const d = describe(node, env);
      const g = groupGeometry(node, env, d.window, d.groups, d.output);
      const pad = env.padded(node);
      const dx = grad.dxs[0] ?? null;
      const dy = env.value(grad.dy);
      const regions: GroupedGradRegions = {
        x: pad ? pad.input : env.value(node.inputs[0]!),
        k: env.param(node, 0),
        dy,
        // a frozen layer's backward only carries the gradient through to its input
        gk: grad.paramGrads ? env.paramGrad(node, 0) : null,
        gb: d.bias && grad.paramGrads ? env.paramGrad(node, 1) : null,
        dx: dx === null ? null : pad ? pad.grad! : env.value(dx),
      };
      return [
        ...deriveBlock(node, env, dy),
        ...groupedBackward(g, regions),
        ...(pad && dx !== null ? interior(g, env.value(dx), pad.grad!, "out") : []),
      ];
    },
  };
}
