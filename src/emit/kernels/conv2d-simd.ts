// conv2d's forward pass on the wasm target's f32 builds: f32x4 over the filters (the contiguous
// axis of the kernel and the output). A tile of PIXELS horizontally adjacent output pixels x
// VECTORS vectors of 4 filters accumulates in v128 locals while the window is walked once: per
// tap each pixel's input element is splatted once and each weight vector loaded once, feeding
// PIXELS x VECTORS multiply-adds. The last f % 4 filters are one partial vector (laneBlocks and
// storeLive in store-simd.ts: all four lanes computed, the live ones stored). The input is the
// bordered copy of a padded conv (conv2d.ts makes it), so no tap is tested. Sums are f32, in the
// order of the taps: results differ from the TypeScript target's f64 sums in the last bits. The
// backward pass's weight and bias gradients are f32x4 over the filters too (simdWeightGrad,
// simdBiasGrad); its input gradient (dxForm) is f32x4 over the runs of each pixel's window (the
// rows form, simdRowsInputGrad), or for a plain conv (stride 1, dilation 1) where that does no
// less vector work, this same forward tile over the input channels (the gather form,
// simdGatherInputGrad), or on runs too short for the rows form, over the filters with a
// horizontal sum per input element and tap (the scatter form, simdInputGrad).
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import type { Padding } from "../../check/types.js";
import type { ScratchValue } from "../../ops/op.js";
import { range } from "../code.js";
import { interior } from "../../kernel/passes/border.js";
import { pixelTiles, walk, weightGradWindow, type Geometry } from "./conv2d.js";
import { laneBlocks, liveSum, storeLanes, storeLive } from "./store-simd.js";

/** The live lanes of vector i of a block of `count` whose last vector has `live`. */
const liveOf = (i: number, count: number, live: number): number => (i === count - 1 ? live : 4);

/** Output pixels per tile and vectors of 4 filters per tile: 4 x 2 keeps 8 accumulators, 2
 *  weight vectors and the splats in x64's 16 vector registers. */
const PIXELS = 4;
const VECTORS = 2;

const ACC = ["s", "t", "r", "q"];

/** Whether the forward's short runs (kw * c <= 8 taps) are unrolled: no. Unrolled, binaryen folds
 *  each accumulator's multiply-adds over a whole unrolled row into one expression tree (seen in
 *  LeNet's conv1: 25 taps, one tree per accumulator, every tap's splats and weights in their own
 *  locals), which V8 then runs about 2.5x slower than the loop: LeNet's conv1 forward (6 filters,
 *  5x5 taps of 1 channel) took 24 us unrolled and 9-11 us as loops (bench/NOTES.md). Rows are still
 *  unrolled when few; longer runs were loops already. */
const UNROLL_SHORT_RUNS = false;

/** y = conv(source, k) + bias, activated; with `into` "+=" (no bias, no activation) y += the
 *  convolution instead, as the gather-form input gradient accumulates into dx. */
export function simdForward(g: Geometry, source: Region, k: Region, bias: Region | null, y: Region, act: FusedActivation | undefined, pre: Region | undefined, into: "=" | "+=" = "="): Stmt[] {
  const step = g.sw * g.c;
  const store = (at: Expr, v: Expr, live: number): Stmt[] => (into === "+=" ? storeLive(at, v, live, "+=") : storeLanes(act, y, pre, at, v, live));
  const tile = (pixels: number): Stmt[] =>
    laneBlocks(g.f, VECTORS, (j0, count, live) => {
      const acc = range(count);
      const px = range(pixels);
      const name = (q: number, i: number): string => `${ACC[q]}${i}`;
      const init = (i: number): Stmt => b.let(name(0, i), bias === null ? b.splat(0) : b.at(bias, b.add(j0, i * 4), 4));
      return [
        b.const("kb", b.add(b.base(k), j0)),
        ...acc.flatMap((i) => [init(i), ...px.slice(1).map((q) => b.let(name(q, i), b.ref(name(0, i))))]),
        ...walk(g, (x, kk) => {
          const input = (q: number) => b.load("a", b.add(b.ref("xb"), x, q * step));
          return [
            ...px.map((q) => b.const(`v${q}`, b.splat(input(q)))),
            ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("kb"), kk, i * 4), 4))),
            ...acc.flatMap((i) => px.map((q) => b.assign(name(q, i), b.mul(b.ref(`v${q}`), b.ref(`w${i}`)), "+="))),
          ];
        }, UNROLL_SHORT_RUNS),
        b.const("o", b.add(b.base(y), b.mul(b.ref("p"), g.f), j0)),
        ...acc.flatMap((i) => px.flatMap((q) => store(b.add(b.ref("o"), q * g.f + i * 4), b.ref(name(q, i)), liveOf(i, count, live)))),
      ];
    });
  return pixelTiles(g, source, Math.min(PIXELS, g.ow), tile);
}

/** Kernel elements per weight-gradient block (4 x VECTORS accumulators). */
const ELEMENTS = 4;
const GRAD_ACC = ["g", "h", "m", "n"];

/** dW[tap, c, f] += sum over pixels of x[pixel + tap, c] * dy[pixel, f], in f32x4 over f: a block
 *  of up to ELEMENTS neighbouring kernel elements of a contiguous run times VECTORS vectors of
 *  filters accumulates over all pixels in v128 locals, each x splatted once per pixel and each dy
 *  vector loaded once; then one read-modify-write per gradient vector. */
export function simdWeightGrad(g: Geometry, dy: Region, source: Region, gk: Region): Stmt[] {
  const len = g.dw === 1 ? g.kw * g.c : g.c;
  const accumulate = (elements: number): Stmt[] =>
    laneBlocks(g.f, VECTORS, (j0, count, live) => {
      const acc = range(count);
      const els = range(elements);
      const name = (e: number, i: number): string => `${GRAD_ACC[e]}${i}`;
      const input = (e: number) => b.load("a", b.add(b.ref("xi"), e));
      return [
        ...els.flatMap((e) => acc.map((i) => b.let(name(e, i), b.splat(0)))),
        b.for("oy", g.oh, (oy) => [
          b.let("xi", b.add(b.ref("xo"), b.mul(oy, g.sh * g.wp * g.c))),
          b.let("di", b.add(b.base(dy), b.mul(oy, g.ow * g.f), j0)),
          b.for("ox", g.ow, () => [
            ...els.map((e) => b.const(`v${e}`, b.splat(input(e)))),
            ...acc.map((i) => b.const(`d${i}`, b.load("a", b.add(b.ref("di"), i * 4), 4))),
            ...els.flatMap((e) => acc.map((i) => b.assign(name(e, i), b.mul(b.ref(`v${e}`), b.ref(`d${i}`)), "+="))),
            b.assign("xi", g.sw * g.c, "+="),
            b.assign("di", g.f, "+="),
          ]),
        ]),
        b.const("go", b.add(b.ref("gq"), j0)),
        // the dead lanes of a partial vector are the next weights' gradients: never written
        ...els.flatMap((e) => acc.flatMap((i) => storeLive(b.add(b.ref("go"), e * g.f + i * 4), b.ref(name(e, i)), liveOf(i, count, live), "+="))),
      ];
    });
  return weightGradWindow(g, source, gk, Math.min(ELEMENTS, len), accumulate);
}

/** dB[f] += sum over pixels of dy[pixel, f], in f32x4 over f: VECTORS vectors of sums in v128
 *  locals over all pixels, then one add each. */
export function simdBiasGrad(g: Geometry, dy: Region, gb: Region): Stmt[] {
  return laneBlocks(g.f, VECTORS, (j0, count, live) => {
    const acc = range(count);
    return [
      ...acc.map((i) => b.let(`b${i}`, b.splat(0))),
      b.for("p", g.oh * g.ow, (p) => [
        b.const("d", b.add(b.base(dy), b.mul(p, g.f), j0)),
        ...acc.map((i) => b.assign(`b${i}`, b.load("a", b.add(b.ref("d"), i * 4), 4), "+=")),
      ]),
      ...acc.flatMap((i) => storeLive(b.add(b.base(gb), j0, i * 4), b.ref(`b${i}`), liveOf(i, count, live), "+=")),
    ];
  });
}

/** Filter vectors per input-gradient block: one horizontal sum per tap covers 16 filters. */
const DOT_VECTORS = 4;

/** dx[window of p] += W . dy[p], in f32x4 over the filters: the dy vectors of two adjacent
 *  pixels in v128 locals, each weight vector loaded once per tap for both, the products of a
 *  block summed in one f32x4 and then across its lanes, one add per input element touched. */
export function simdInputGrad(g: Geometry, dy: Region, source: Region, dxBuffer: Region, k: Region): Stmt[] {
  const step = g.sw * g.c;
  const body = (pair: boolean): Stmt[] =>
    laneBlocks(g.f, DOT_VECTORS, (j0, count, live) => {
      const acc = range(count);
      // W . dy over the block's live filters: the products of a partial last vector (whose dead
      // lanes multiply the next weights by the next pixel's dy, or garbage) summed lane by lane
      const dot = (d: string) => {
        const products = acc.map((i) => b.mul(b.ref(`w${i}`), b.ref(`${d}${i}`)));
        return liveSum(products.slice(0, -1), products.at(-1)!, live, `${d}p`);
      };
      const [dd, de] = [dot("d"), dot("e")];
      return [
        b.const("gb", b.add(b.base(dy), b.mul(b.ref("p"), g.f), j0)),
        ...acc.map((i) => b.const(`d${i}`, b.load("a", b.add(b.ref("gb"), i * 4), 4))),
        ...(pair ? acc.map((i) => b.const(`e${i}`, b.load("a", b.add(b.ref("gb"), g.f + i * 4), 4))) : []),
        b.const("kb", b.add(b.base(k), j0)),
        ...walk(g, (x, kk) => {
          const at = b.add(b.ref("dxb"), x);
          return [
            ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("kb"), kk, i * 4), 4))),
            ...dd.stmts,
            b.store("a", at, dd.sum, "+="),
            ...(pair ? [...de.stmts, b.store("a", b.add(at, step), de.sum, "+=")] : []),
          ];
        }),
      ];
    });
  // dxb: the window's first element in the input gradient, at the same place as xb in the input.
  const dxb = b.const("dxb", b.add(b.ref("xb"), b.sub(b.base(dxBuffer), b.base(source))));
  return pixelTiles(g, source, Math.min(2, g.ow), (n) => [dxb, ...body(n === 2)]);
}

/** Vectors of a run per rows-form block, times RUN_PIXELS adjacent pixels: 8 accumulators, each
 *  weight vector loaded once for both pixels. Measured on bench/w1.cnn's conv2 (bench/NOTES.md):
 *  4 x 2 beats 8 x 1, 2 x 4, 3 x 3, 6 x 2 and 3 x 4. */
const RUN_VECTORS = 4;
const RUN_PIXELS = 2;

/** dx[window of p] += W . dy[p] in rows form: per output pixel, each contiguous run of its
 *  window (a kernel row of kw * c input elements when dilation is 1, else c per column) is
 *  accumulated in f32x4 over the run's elements, in registers over all the filters,
 *    dx[xb + run + t] += sum over j of dy[p, j] * Wr[run, j, t],   Wr[run, j, t] = K[run, t, j],
 *  with dy[p, j] splatted and Wr[run, j] read as vectors, then one read-modify-write per dx
 *  vector: no horizontal sum and no scalar read-modify-write per input element and tap (the
 *  scatter form's cost: measured 2x the weight gradient's time on bench/w1.cnn's conv2). Wr is
 *  the kernel transposed per run into scratch ("rows"), rebuilt on every call (kh * kw * c * f
 *  moves, oh * ow times fewer than the multiply-adds). A run's last vector may be partial: its
 *  dead lanes read the next filter's weights and are never stored (storeLive). Two adjacent
 *  pixels' runs overlap when the stride is below the run: the first pixel's stores come before
 *  the second's loads, so the sums are as if one pixel at a time. */
export function simdRowsInputGrad(g: Geometry, dy: Region, source: Region, dxBuffer: Region, k: Region, rows: Region): Stmt[] {
  const step = g.sw * g.c;
  const contiguous = g.dw === 1;
  const len = contiguous ? g.kw * g.c : g.c;
  const runs = contiguous ? g.kh : g.kh * g.kw;
  // Wr[r, j, t] = K[(r * len + t) * f + j]: a run r's weights are K's rows r * len .. r * len + len - 1
  const transpose = b.for("r", runs, (r) => [
    b.for("j", g.f, (j) => [
      b.const("wt", b.add(b.base(rows), b.mul(b.add(b.mul(r, g.f), j), len))),
      b.const("ks", b.add(b.base(k), b.mul(r, len * g.f), j)),
      b.for("t", len, (t) => [b.store("a", b.add(b.ref("wt"), t), b.load("a", b.add(b.ref("ks"), b.mul(t, g.f))))]),
    ]),
  ]);
  // the run's accumulation for `pixels` adjacent pixels: `ro` is the run's first element from the
  // pixel's window start, `wr` its first transposed weight
  const run = (pixels: number): Stmt[] =>
    laneBlocks(len, RUN_VECTORS, (t0, count, live) => {
      const acc = range(count);
      const px = range(pixels);
      const name = (q: number, i: number): string => `${ACC[q]}${i}`;
      return [
        ...acc.flatMap((i) => px.map((q) => b.let(name(q, i), b.splat(0)))),
        b.for("j", g.f, (j) => [
          b.const("wj", b.add(b.ref("wr"), b.mul(j, len), t0)),
          ...px.map((q) => b.const(`v${q}`, b.splat(b.load("a", b.add(b.ref("gb"), j, q * g.f))))),
          ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("wj"), i * 4), 4))),
          ...acc.flatMap((i) => px.map((q) => b.assign(name(q, i), b.mul(b.ref(`v${q}`), b.ref(`w${i}`)), "+="))),
        ]),
        b.const("o", b.add(b.ref("dxb"), b.ref("ro"), t0)),
        ...px.flatMap((q) => acc.flatMap((i) => storeLive(b.add(b.ref("o"), q * step + i * 4), b.ref(name(q, i)), liveOf(i, count, live), "+="))),
      ];
    });
  const at = (ro: Expr, r: Expr): Stmt[] => [b.const("ro", ro), b.const("wr", b.add(b.base(rows), b.mul(r, g.f * len)))];
  const window = (pixels: number): Stmt[] =>
    contiguous
      ? [b.for("ky", g.kh, (ky) => [...at(b.mul(ky, g.dh * g.wp * g.c), ky), ...run(pixels)])]
      : [b.for("ky", g.kh, (ky) => [b.for("kx", g.kw, (kx) => [...at(b.add(b.mul(ky, g.dh * g.wp * g.c), b.mul(kx, g.dw * g.c)), b.add(b.mul(ky, g.kw), kx)), ...run(pixels)])])];
  const dxb = b.const("dxb", b.add(b.ref("xb"), b.sub(b.base(dxBuffer), b.base(source))));
  const gb = b.const("gb", b.add(b.base(dy), b.mul(b.ref("p"), g.f)));
  return [transpose, ...pixelTiles(g, source, Math.min(RUN_PIXELS, g.ow), (n) => [dxb, gb, ...window(n)])];
}

/** conv2d's attributes as the gather form reads them. */
interface GatherAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  readonly groups?: number;
}

/** The zero border of the gather form's dy: kh - 1 - padding on each side (a padding above
 *  k - 1 would need dy cropped instead: that conv takes another form). */
const dyBorder = ({ kernel: [kh, kw], padding: p }: GatherAttrs): Padding => ({ top: kh - 1 - p.top, bottom: kh - 1 - p.bottom, left: kw - 1 - p.left, right: kw - 1 - p.right });

const hasBorder = (a: GatherAttrs): boolean => {
  const d = dyBorder(a);
  return d.top + d.bottom + d.left + d.right > 0;
};

/** The f32x4 input gradient's form: "gather" for groups 1, stride 1, dilation 1, no padding wider
 *  than the kernel less one, and no more vector multiply-adds than the rows form's; else "rows"
 *  unless its runs are too short for it, "scatter". The gather form computes every input pixel
 *  over the whole window in vectors of input channels (h * w * kh * kw * f * ceil(c / 4)
 *  vectors), the rows form every output pixel's window runs in vectors of run elements
 *  (oh * ow * runs * ceil(run / 4) * f, a run being a kernel row of kw * c elements when dilation
 *  is 1, else c); a valid padding makes the gather form's dy mostly border, zeros it multiplies
 *  all the same, and few channels leave most of its lanes dead. Measured (bench/NOTES.md): on the
 *  CIFAR layers (same padding, 32-64 channels: equal counts) the gather form is 5-10% faster, so a
 *  tie gathers; on examples/lenet.cnn's conv2 (valid 5 x 5 on 14 x 14 x 6, 16 filters: 1960
 *  against 800 vectors per filter and kernel row) the rows form takes about half the gather
 *  form's time. The scatter form sums ceil(f / 4) filter vectors per run element and then across
 *  lanes; per pixel and run it costs about run * (2.5 * ceil(f / 4) + 6) operations (the products,
 *  their sum, the horizontal sum, a scalar read-modify-write), the rows form ceil(run / 4) *
 *  (3 * f + 3) (per filter a splat, a weight load and a multiply-add; a vector read-modify-write):
 *  on runs of 1-3 elements (dilated convs or 1 x 1 kernels over 1-3 channels) the rows form's
 *  lanes are mostly dead, and it measured 0.58x (dilation 2 on 2 channels, 16 filters) and 0.78x
 *  (1 x 1 stride 2 on 2 channels, 32 filters) the scatter form's speed, against 1.2-1.3x on
 *  bench/w1.cnn's conv2 and 1.4x on a stride-2 3 x 3 over 8 channels. */
export function dxForm(a: GatherAttrs, [h, w, c]: readonly number[], [oh, ow, f]: readonly number[]): "gather" | "rows" | "scatter" {
  const d = dyBorder(a);
  const plain = (a.groups ?? 1) === 1 && a.stride.every((s) => s === 1) && a.dilation.every((s) => s === 1);
  const [kh, kw] = a.kernel;
  const len = a.dilation[1] === 1 ? kw * c! : c!;
  const runs = a.dilation[1] === 1 ? kh : kh * kw;
  const gather = h! * w! * kh * kw * f! * Math.ceil(c! / 4);
  const rows = oh! * ow! * runs * Math.ceil(len / 4) * f!;
  if (plain && Math.min(d.top, d.bottom, d.left, d.right) >= 0 && gather <= rows) return "gather";
  return Math.ceil(len / 4) * (3 * f! + 3) <= len * (2.5 * Math.ceil(f! / 4) + 6) ? "rows" : "scatter";
}

/** The f32x4 input gradient's scratch (Scratch.gather). The gather form's: the flipped kernel,
 *  and the bordered dy unless its border is empty (a 1 x 1 kernel, or a "full" padding of k - 1),
 *  when dy itself is read. The rows form's: the kernel transposed per run, and for a padded conv
 *  the bordered dx (the plan's zeroed padded dx is not planned beside Scratch.gather buffers).
 *  The scatter form's: none (it adds into the plan's padded dx). */
export function gatherBuffers(input: readonly number[], output: readonly number[], a: GatherAttrs): ScratchValue[] {
  const [h, w, c] = input;
  const f = output[2];
  const [kh, kw] = a.kernel;
  const form = dxForm(a, input, output);
  if ((a.groups ?? 1) > 1 || form === "scatter") return [];
  if (form === "rows") return [{ name: "rows", size: kh * kw * c! * f! }, ...(padded(a) ? [{ name: "dxBordered", size: (h! + a.padding.top + a.padding.bottom) * (w! + a.padding.left + a.padding.right) * c! }] : [])];
  return [{ name: "flipped", size: kh * kw * c! * f! }, ...(hasBorder(a) ? [{ name: "dyBordered", size: (h! + kh - 1) * (w! + kw - 1) * f! }] : [])];
}

const padded = ({ padding: p }: GatherAttrs): boolean => p.top + p.bottom + p.left + p.right > 0;

/** dx += the input gradient in gather form: for stride 1 and dilation 1 it is a forward conv of
 *  dy with a border of k - 1 - padding (dyBordered) by the kernel flipped in both taps and with
 *  channels and filters swapped,
 *    dx[y, x, c] += sum over ky, kx, j of dyBordered[y + ky, x + kx, j] * Kt[ky, kx, j, c],
 *    Kt[ky, kx, j, c] = K[kh - 1 - ky, kw - 1 - kx, c, j],
 *  computed by simdForward's tiles over the input channels (their last c % 4 one partial vector),
 *  so each dx vector is summed in registers and stored once, instead of the scatter form's
 *  horizontal sum and scalar read-modify-write per input element and tap. Kt is rebuilt from the
 *  weights on every call: kh * kw * c * f moves, h * w times fewer than the convolution's
 *  multiply-adds. Only the border of dyBordered must be zero: it is never written (zero since the
 *  arena was allocated, like the forward's bordered input), its interior is dy, copied per call. */
export function simdGatherInputGrad(g: Geometry, attrs: GatherAttrs, dy: Region, dx: Region, k: Region, scratch: (name: string) => Region): Stmt[] {
  const [flipped, bordered] = [scratch("flipped"), hasBorder(attrs) ? scratch("dyBordered") : null];
  const d = dyBorder(attrs);
  const wp = g.w + g.kw - 1;
  const gather: Geometry = { h: g.h + g.kh - 1, w: wp, c: g.f, oh: g.h, ow: g.w, f: g.c, kh: g.kh, kw: g.kw, sh: 1, sw: 1, dh: 1, dw: 1, pt: d.top, pl: d.left, wp, bias: false };
  const taps = g.kh * g.kw;
  // Kt[t, j, i] = K[taps - 1 - t, i, j]: the tap (ky, kx) flipped is (kh - 1 - ky) * kw + kw - 1 - kx
  const flip = b.for("t", taps, (t) => [
    b.for("j", g.f, (j) => [
      b.const("kt", b.add(b.base(flipped), b.mul(b.add(b.mul(t, g.f), j), g.c))),
      b.const("ks", b.add(b.base(k), b.mul(b.sub(taps - 1, t), g.c * g.f), j)),
      b.for("i", g.c, (i) => [b.store("a", b.add(b.ref("kt"), i), b.load("a", b.add(b.ref("ks"), b.mul(i, g.f))))]),
    ]),
  ]);
  const copy = bordered === null ? [] : interior({ h: g.oh, w: g.ow, c: g.f, pt: d.top, pl: d.left, wp }, dy, bordered, "in");
  return [flip, ...copy, ...simdForward(gather, bordered ?? dy, flipped, null, dx, undefined, undefined, "+=")];
}
