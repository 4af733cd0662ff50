// maxpool's forward pass on the wasm target's f32 builds: f32x4 over the channels (the
// contiguous axis of input and output), four channels walking the window together. The running
// maximum and the winning tap live in v128 locals; a tap replaces them in the lanes where it is
// greater (a lane mask and v128.bitselect), so each lane takes the same first maximum in window
// order as the scalar kernel, NaN included, and the output and argmax are bit for bit the
// scalar build's. The winning tap is kept as its offset from the pixel's window origin times c,
// an f32 (a literal per unrolled tap, so no index is computed per tap); the argmax is rebuilt
// from it once per pixel, lane by lane. global_maxpool's forward pass is the same over all pixels.
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { firstTapAlways, mayBeEmpty, origin, pixelBody, type Window, type WindowCode } from "./window.js";

/** The winning offset of a lane no tap has reached yet: below every real offset, exact in f32. */
const NONE = -(2 ** 30);

/** Whether every tap offset times c is an exact f32 integer (far beyond any real pool). */
export function simdFits(w: Window, c: number): boolean {
  const reach = (w.kh * w.dh + w.padding.top) * w.inW + w.kw * w.dw + w.padding.left;
  return reach * c < 2 ** 23;
}

/** The channels [0, c - c % 4) of the current output pixel (`o`, `m` in scope), four at a time. */
export function simdChannels(w: Window, c: number, x: Region, readable: boolean): Stmt[] {
  const whole = c - (c % 4);
  if (whole === 0) return [];
  // When the first tap always runs first, it seeds the lanes and later taps need not ask
  // whether a lane has a maximum yet.
  const seeded = firstTapAlways(w, readable);
  const empty = mayBeEmpty(w);
  const unset = b.lt(b.ref("at"), NONE / 2);
  const code: WindowCode = {
    pixelStart: [b.let("best", b.splat(-Infinity)), b.let("at", b.splat(NONE))],
    tap: ({ first, offset }) => {
      const v = b.load("a", b.add(b.base(x), b.mul(b.ref("q"), c), b.ref("j")), 4);
      const here = b.splat(b.mul(offset, c));
      if (first) return [b.assign("best", v), b.assign("at", here)];
      const wins = seeded ? b.gt(b.ref("v"), b.ref("best")) : b.or(b.gt(b.ref("v"), b.ref("best")), unset);
      return [
        b.block(
          b.const("v", v),
          b.const("k", wins),
          b.assign("best", b.select(b.ref("k"), b.ref("v"), b.ref("best"))),
          b.assign("at", b.select(b.ref("k"), here, b.ref("at"))),
        ),
      ];
    },
    // A window entirely in the padding has no input: its output is 0 and its argmax -1.
    pixelEnd: [
      b.store("a", b.add(b.ref("o"), b.ref("j")), empty ? b.select(unset, b.splat(0), b.ref("best")) : b.ref("best"), "=", 4),
      b.const("mo", b.add(b.mul(origin(w), c), b.ref("j"))),
      ...argmaxLanes(b.ref("m"), empty),
    ],
  };
  return [b.for("j", whole, () => pixelBody(w, code, readable), { step: 4 })];
}

/** The argmax of lanes j .. j + 3 from the winning offsets `at` (`mo` + lane + offset; -1 where
 *  no tap was taken, when that can happen), stored at ix[m + j + lane]. */
function argmaxLanes(m: Expr, empty: boolean): Stmt[] {
  return range(4).map((e) => {
    const at = b.add(b.lane(b.ref("at"), e), b.ref("mo"), e);
    return b.store("ix", b.add(m, b.ref("j"), e), empty ? b.select(b.lt(b.lane(b.ref("at"), e), NONE / 2), -1, at) : at);
  });
}

/** global_maxpool's channels [0, c - c % 4) four at a time: pixel 0 seeds the lanes, each later
 *  pixel p replaces them where it is greater (the first maximum wins, as in the scalar kernel),
 *  its offset p * c kept as an f32 (exact: the caller checks pixels * c < 2^23). */
export function simdGlobalMax(pixels: number, c: number, x: Region, y: Region, am: Region): Stmt[] {
  const whole = c - (c % 4);
  if (whole === 0) return [];
  return [
    b.for("j", whole, (j) => [
      b.let("best", b.at(x, j, 4)),
      b.let("at", b.splat(0)),
      b.for("p", pixels, (p) => [
        b.const("v", b.at(x, b.add(b.mul(p, c), j), 4)),
        b.const("k", b.gt(b.ref("v"), b.ref("best"))),
        b.assign("best", b.select(b.ref("k"), b.ref("v"), b.ref("best"))),
        b.assign("at", b.select(b.ref("k"), b.splat(b.mul(p, c)), b.ref("at"))),
      ], { start: 1 }),
      b.put(y, j, b.ref("best"), "=", 4),
      b.const("mo", j),
      ...argmaxLanes(b.base(am), false),
    ], { step: 4 }),
  ];
}
