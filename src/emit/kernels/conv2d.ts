// conv2d, HWC, kernel [kh, kw, in, filters].
// - A padded conv first copies its input into a zero-bordered buffer, so the convolution is
//   always "valid" and its inner loops test no boundary.
// - Register blocking: a tile of 2 adjacent output pixels x 4 filters is accumulated in locals
//   (s0..s3, t0..t3) while the window is walked once; the window is a list of contiguous runs
//   (a kernel row of kw * in values when dilation is 1), unrolled when small.
// The readable build prints the convolution as its plain loops instead (plain.ts); the wasm
// target's f32 builds (KernelEnv.lanes 4) take f32x4 tiles over the filters (conv2d-simd.ts). A grouped
// conv2d (groups > 1) is the grouped kernel (grouped-conv.ts), which depthwise_conv2d shares.
import type { ForwardNode, FusedActivation } from "../../ir/graph.js";
import { b, type E } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { deriveBlock, storeActivated } from "./activation.js";
import { biasGradPlain, convBackwardPlain, convForwardPlain } from "./conv2d-plain.js";
import { accumulate, atLoop, coalesce, hoistIndexBase, interchange, stripMine, unrollAndJam, type For } from "../../kernel/passes/tile.js";
import { blocks } from "./blocks.js";
import { interior } from "../../kernel/passes/border.js";
import { dxForm, simdBiasGrad, simdForward, simdGatherInputGrad, simdInputGrad, simdRowsInputGrad, simdWeightGrad } from "./conv2d-simd.js";
import { groupedKernel } from "./grouped-conv.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Filters accumulated in registers at once. */
const BLOCK = 8;
/** Filters per block when two pixels are computed together (2 x 4 accumulators). */
const PAIR_BLOCK = 4;
/** Runs up to this long are unrolled; windows up to this many runs are unrolled. */
const UNROLL_RUN = 8;
const UNROLL_RUNS = 49;

export interface Geometry {
  readonly h: number; readonly w: number; readonly c: number;
  readonly oh: number; readonly ow: number; readonly f: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly dh: number; readonly dw: number;
  readonly pt: number; readonly pl: number;
  /** width of the (possibly padded) buffer the window slides over */
  readonly wp: number;
  readonly bias: boolean;
}

export function geometry(node: ForwardNode, env: KernelEnv): Geometry {
  if (node.layer.op !== "conv2d") throw new Error("internal: conv2d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [oh, ow, f] = env.shape(node.output) as [number, number, number];
  const p = a.padding;
  return {
    h, w, c, oh, ow, f,
    kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1], dh: a.dilation[0], dw: a.dilation[1],
    pt: p.top, pl: p.left,
    wp: env.padded(node) ? w + p.left + p.right : w,
    bias: a.bias,
  };
}

/** Walks the window calling `body(x, k)` with the offsets of one tap's input element (from the
 *  pixel's base) and kernel element (from the filter block's base). The window is kernel rows
 *  of contiguous runs (kw * c elements when dilation is 1, else c per column); rows are marked
 *  for the unroll pass when few, and runs when short unless `unrollRuns` is false. */
export function walk(g: Geometry, body: (x: Expr, k: Expr) => Stmt[], unrollRuns = true): Stmt[] {
  const contiguous = g.dw === 1;
  const len = contiguous ? g.kw * g.c : g.c;
  const runs = contiguous ? g.kh : g.kh * g.kw;
  const unrollRows = runs <= UNROLL_RUNS;
  const run = (x: Expr, k: Expr): Stmt[] => [
    b.for("t", len, (t) => body(b.add(x, t), b.add(k, b.mul(t, g.f))), { unroll: unrollRuns && len <= UNROLL_RUN }),
  ];
  if (contiguous)
    return [b.for("ky", g.kh, (ky) => run(b.mul(ky, g.dh * g.wp * g.c), b.mul(ky, g.kw * g.c * g.f)), { unroll: unrollRows })];
  return [
    b.for("ky", g.kh, (ky) => [
      b.for("kx", g.kw, (kx) => run(b.add(b.mul(ky, g.dh * g.wp * g.c), b.mul(kx, g.dw * g.c)), b.mul(b.add(b.mul(ky, g.kw), kx), g.c * g.f)), { unroll: unrollRows }),
    ], { unroll: unrollRows }),
  ];
}

/** Accumulator prefixes of the kernel elements of a weight-gradient block. */
const GRAD_ACC = ["g", "h", "m", "n", "r", "z"];

/** Accumulators a block may keep in registers (x64 has 16 float registers; loads need some). */
const MAX_ACCUMULATORS = 12;

/** The weight-gradient block (kernel elements x filters) with the fewest loads per pixel over
 *  the whole run-by-filters grid, remainders included; ties go to fewer blocks. */
function gradientBlock(len: number, f: number): { elements: number; filters: number } {
  let best = { elements: 1, filters: 1, loads: Infinity, blocks: Infinity };
  for (let e = 1; e <= Math.min(len, GRAD_ACC.length); e++)
    for (let k = 1; k <= Math.min(f, BLOCK); k++) {
      if (e * k > MAX_ACCUMULATORS) continue;
      const es = [...Array(Math.floor(len / e)).fill(e), ...(len % e ? [len % e] : [])];
      const ks = [...Array(Math.floor(f / k)).fill(k), ...(f % k ? [f % k] : [])];
      const loads = es.reduce((t, x) => t + ks.reduce((u, y) => u + x + y, 0), 0);
      const blocks = es.length * ks.length;
      if (loads < best.loads || (loads === best.loads && blocks < best.blocks)) best = { elements: e, filters: k, loads, blocks };
    }
  return { elements: best.elements, filters: best.filters };
}

/** Accumulator prefixes of the pixels of a tile. */
const ACC = ["s", "t", "r", "q"];

/** Output pixels per forward tile. Measured on W1 (bench/NOTES.md): 4 filters x 2 pixels is as
 *  fast as 6 x 2, 3 x 4 or 4 x 3, and clearly faster than 8 x 1 or 2 x 4. */
const TILE_PIXELS = 2;

/** The loop over output pixels, `n` horizontally adjacent ones at a time (p, p + 1, ...), then the
 *  remaining ones of the row as one narrower tile. `p` (the pixel) and `xb` (its window's first
 *  input element) are in scope for the tile. */
export function pixelTiles(g: Geometry, source: Region, n: number, tile: (pixels: number) => Stmt[]): Stmt[] {
  const head = (oy: Expr, ox: Expr): Stmt[] => [
    b.const("p", b.add(b.mul(oy, g.ow), ox)),
    b.const("xb", b.add(b.base(source), b.mul(oy, g.sh * g.wp * g.c), b.mul(ox, g.sw * g.c))),
  ];
  const full = g.ow - (g.ow % n);
  return [
    b.for("oy", g.oh, (oy) => [
      full === n
        ? b.block(b.const("ox", 0), head(oy, b.ref("ox")), tile(n))
        : b.for("ox", full, (ox) => [...head(oy, ox), ...tile(n)], { step: n }),
      ...(g.ow % n > 0 ? [b.block(b.const("ox", full), head(oy, b.ref("ox")), tile(g.ow % n))] : []),
    ]),
  ];
}

const isGrouped = (node: ForwardNode): boolean => node.layer.op === "conv2d" && (node.layer.attrs.groups ?? 1) > 1;

const groupedConv2d = groupedKernel((node, env) => {
  if (node.layer.op !== "conv2d") throw new Error("internal: conv2d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  return { window: a, groups: a.groups ?? 1, output: env.shape(node.output), bias: a.bias };
});

export const conv2d: Kernel = {
  forward(node, env, mode) {
    if (isGrouped(node)) return groupedConv2d.forward(node, env, mode);
    if (env.readable) return convForwardPlain(node, env);
    const g = geometry(node, env);
    const pad = env.padded(node);
    const source = pad ? pad.input : env.value(node.inputs[0]!);
    const [k, bias, y, act, pre] = [env.param(node, 0), g.bias ? env.param(node, 1) : null, env.value(node.output), node.fused?.activation, env.preActivation(node)];
    // f32x4 over the filters where the target has them (conv2d-simd.ts)
    const loops = env.lanes === 4 ? simdForward(g, source, k, bias, y, act, pre) : tunedForward(g, source, k, bias, y, act, env.precision, pre);
    return [...(pad ? interior(g, env.value(node.inputs[0]!), pad.input, "in") : []), ...loops];
  },

  backward(node, grad, env) {
    if (isGrouped(node)) return groupedConv2d.backward(node, grad, env);
    if (env.readable) return convBackwardPlain(node, grad, env);
    const g = geometry(node, env);
    const dy = env.value(grad.dy);
    const pad = env.padded(node);
    const source = pad ? pad.input : env.value(node.inputs[0]!);
    const dx = grad.dxs[0] ?? null;
    // f32x4 builds take the input gradient in the form dxForm says (the plan gave the gather and
    // rows forms their scratch)
    const attrs = node.layer.op === "conv2d" ? node.layer.attrs : null;
    const form = env.lanes === 4 && attrs !== null ? dxForm(attrs, env.shape(node.inputs[0]!), env.shape(node.output)) : "scatter";
    const scratch = (name: string): Region => env.scratch(node, name).value;
    // the f32x4 rows form's bordered dx is its own scratch (the plan's zeroed one is not planned
    // for a node with Scratch.gather buffers): zeroed here, on every call
    const rows = (): Stmt[] => {
      const bordered = pad ? scratch("dxBordered") : env.value(dx!);
      return [
        ...(pad ? [b.for("i", bordered.size, (i) => [b.put(bordered, i, 0)])] : []),
        ...simdRowsInputGrad(g, dy, source, bordered, env.param(node, 0), scratch("rows")),
        ...(pad ? interior(g, env.value(dx!), bordered, "out") : []),
      ];
    };
    const scatter = (): Stmt[] => [
      ...(env.lanes === 4 ? simdInputGrad : inputGrad)(g, dy, source, pad ? pad.grad! : env.value(dx!), env.param(node, 0)),
      ...(pad ? interior(g, env.value(dx!), pad.grad!, "out") : []),
    ];
    return [
      ...deriveBlock(node, env, dy),
      // a frozen layer's backward only carries the gradient through to its input
      ...(g.bias && grad.paramGrads ? (env.lanes === 4 ? simdBiasGrad : biasGrad)(g, dy, env.paramGrad(node, 1)) : []),
      ...(dx === null ? [] : form === "gather" ? simdGatherInputGrad(g, attrs!, dy, env.value(dx), env.param(node, 0), scratch) : form === "rows" ? rows() : scatter()),
      // f32x4 over the filters where the target has them (conv2d-simd.ts)
      ...(grad.paramGrads ? (env.lanes === 4 ? simdWeightGrad : weightGrad)(g, dy, source, env.paramGrad(node, 0)) : []),
    ];
  },
};

/** The tuned forward loops over `source` (the input, or its bordered copy): register tiles of
 *  output pixels x filters. separable_conv2d's pointwise step is this with a 1x1 geometry. */
export function tunedForward(
  g: Geometry,
  source: Region,
  k: Region,
  bias: Region | null,
  y: Region,
  act: FusedActivation | undefined,
  precision: "f32" | "f64",
  pre: Region | undefined,
): Stmt[] {
  // The fused activation is applied as each sum is stored (the sum kept too when its derivative reads it).
  const init = (i: number, j0: Expr): E => (bias === null ? 0 : b.at(bias, b.add(j0, i)));
  // A tile: `pixels` horizontally adjacent outputs times `size` filters, all accumulated in
  // locals while the window is walked once; each input load feeds `size` multiply-adds and
  // each kernel load feeds `pixels`.
  const step = g.sw * g.c;
  const tile = (pixels: number): Stmt[] =>
    blocks(g.f, (j0, size) => {
      const acc = range(size);
      const px = range(pixels);
      const name = (q: number, i: number): string => `${ACC[q]}${i}`;
      return [
        b.const("kb", b.add(b.base(k), j0)),
        ...acc.flatMap((i) => px.map((q) => b.let(name(q, i), q === 0 ? init(i, j0) : b.ref(name(0, i))))),
        ...walk(g, (x, kk) => [
          ...px.map((q) => b.const(`v${q}`, b.load("a", b.add(b.ref("xb"), x, q * step)))),
          ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("kb"), kk, i)))),
          ...acc.flatMap((i) => px.map((q) => b.assign(name(q, i), b.mul(b.ref(`v${q}`), b.ref(`w${i}`)), "+="))),
        ]),
        b.const("o", b.add(b.base(y), b.mul(b.ref("p"), g.f), j0)),
        ...acc.flatMap((i) => px.flatMap((q) => storeActivated(act, y, pre, b.add(b.ref("o"), q * g.f + i), b.ref(name(q, i)), precision))),
      ];
    }, PAIR_BLOCK);
  return pixelTiles(g, source, Math.min(TILE_PIXELS, g.ow), tile);
}

/** db[f] = sum over pixels of dy[pixel, f], derived from the plain nest: the pixel loops
 *  coalesced and moved inside the filter loop, each filter's sum in a local (a read-modify-write
 *  per pixel made each add wait for the last store), BLOCK filters' sums at once. */
export function biasGrad(g: Geometry, dy: Region, gb: Region): Stmt[] {
  const byFilter = atLoop(atLoop(biasGradPlain(g, dy, gb), "oy", (l) => coalesce(l, "p")), "p", (l) => interchange(l));
  const summed = atLoop(byFilter, "p", (l) => accumulate(l, gb, "b"));
  const block = (strip: For) => atLoop(unrollAndJam(strip, (_, q) => `b${q}`), "p", (l) => hoistIndexBase(l, "d", dy));
  return atLoop(summed, "f", (l) => stripMine(l, { width: BLOCK, outer: "j0", inner: "jj", then: block }));
}

/** dx[window of p] += W . dy[p]: 8 filters' gradients of two adjacent pixels in locals, each
 *  kernel load shared by both, one add per input element touched. 16 gradients and 8 weights
 *  are more than x64's float registers, but V8's spills to the stack cost less than the extra
 *  read-modify-writes of dx that blocks of 4 filters took (bench/NOTES.md). */
export function inputGrad(g: Geometry, dy: Region, source: Region, dxBuffer: Region, k: Region): Stmt[] {
  const step = g.sw * g.c;
  const body = (pair: boolean): Stmt[] =>
    blocks(g.f, (j0, size) => {
      const acc = range(size);
      return [
        b.const("gb", b.add(b.base(dy), b.mul(b.ref("p"), g.f), j0)),
        ...acc.map((i) => b.const(`d${i}`, b.load("a", b.add(b.ref("gb"), i)))),
        ...(pair ? acc.map((i) => b.const(`e${i}`, b.load("a", b.add(b.ref("gb"), g.f + i)))) : []),
        b.const("kb", b.add(b.base(k), j0)),
        ...walk(g, (x, kk) => {
          const at = b.add(b.ref("dxb"), x);
          return [
            ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("kb"), kk, i)))),
            b.store("a", at, b.sum(acc.map((i) => b.mul(b.ref(`w${i}`), b.ref(`d${i}`)))), "+="),
            ...(pair ? [b.store("a", b.add(at, step), b.sum(acc.map((i) => b.mul(b.ref(`w${i}`), b.ref(`e${i}`)))), "+=")] : []),
          ];
        }),
      ];
    }, BLOCK);
  // dxb: the window's first element in the input gradient, at the same place as xb in the input.
  const dxb = b.const("dxb", b.add(b.ref("xb"), b.sub(b.base(dxBuffer), b.base(source))));
  return pixelTiles(g, source, Math.min(2, g.ow), (n) => [dxb, ...body(n === 2)]);
}

/** dW[tap, c, f] = sum over pixels of x[pixel + tap, c] * dy[pixel, f]. A block of `e`
 *  neighbouring kernel elements (t, t + 1, ... of a contiguous run) times `f` filters accumulates
 *  over all pixels in registers, each x load feeding f multiply-adds and each dy load e; then
 *  one add per gradient element. The block shape is the one with the fewest loads per pixel. */
export function weightGrad(g: Geometry, dy: Region, source: Region, gk: Region): Stmt[] {
  const len = g.dw === 1 ? g.kw * g.c : g.c;
  const shape = gradientBlock(len, g.f);
  const accumulate = (elements: number): Stmt[] =>
    blocks(g.f, (j0, size) => {
      const acc = range(size);
      const els = range(elements);
      const name = (e: number, i: number): string => `${GRAD_ACC[e]}${i}`;
      return [
        ...els.flatMap((e) => acc.map((i) => b.let(name(e, i), 0))),
        b.for("oy", g.oh, (oy) => [
          b.let("xi", b.add(b.ref("xo"), b.mul(oy, g.sh * g.wp * g.c))),
          b.let("di", b.add(b.base(dy), b.mul(oy, g.ow * g.f), j0)),
          b.for("ox", g.ow, () => [
            ...els.map((e) => b.const(`v${e}`, b.load("a", b.add(b.ref("xi"), e)))),
            ...acc.map((i) => b.block(
              b.const("d", b.load("a", b.add(b.ref("di"), i))),
              els.map((e) => b.assign(name(e, i), b.mul(b.ref(`v${e}`), b.ref("d")), "+=")),
            )),
            b.assign("xi", g.sw * g.c, "+="),
            b.assign("di", g.f, "+="),
          ]),
        ]),
        b.const("go", b.add(b.ref("gq"), j0)),
        ...els.flatMap((e) => acc.map((i) => b.store("a", b.add(b.ref("go"), e * g.f + i), b.ref(name(e, i)), "+="))),
      ];
    }, shape.filters);
  return weightGradWindow(g, source, gk, shape.elements, accumulate);
}

/** The weight gradient's walk over the window: kernel rows of contiguous runs (kw * c elements
 *  when dilation is 1, else c per column), `e` elements of a run at a time and the rest after,
 *  with `xo` (the run's input element) and `gq` (its gradient element) in scope for
 *  `accumulate(count)`. The scalar and the f32x4 schedules share it. */
export function weightGradWindow(g: Geometry, source: Region, gk: Region, e: number, accumulate: (elements: number) => Stmt[]): Stmt[] {
  const len = g.dw === 1 ? g.kw * g.c : g.c;
  const run = (rx: Expr, rk: Expr): Stmt[] => {
    const at = (t: Expr): Stmt[] => [
      b.const("xo", b.add(b.base(source), rx, t)),
      b.const("gq", b.add(b.base(gk), rk, b.mul(t, g.f))),
    ];
    const full = len - (len % e);
    const parts: Stmt[] = [];
    if (full === e) parts.push(b.block(b.const("t", 0), at(b.ref("t")), accumulate(e)));
    else if (full > 0) parts.push(b.for("t", full, (t) => [...at(t), ...accumulate(e)], { step: e }));
    if (len % e > 0) parts.push(b.block(b.const("t", full), at(b.ref("t")), accumulate(len % e)));
    return parts;
  };
  if (g.dw === 1) return [b.for("ky", g.kh, (ky) => run(b.mul(ky, g.dh * g.wp * g.c), b.mul(ky, g.kw * g.c * g.f)))];
  return [
    b.for("ky", g.kh, (ky) => [
      b.for("kx", g.kw, (kx) => run(b.add(b.mul(ky, g.dh * g.wp * g.c), b.mul(kx, g.dw * g.c)), b.add(b.mul(ky, g.kw * g.c * g.f), b.mul(kx, g.c * g.f)))),
    ]),
  ];
}
