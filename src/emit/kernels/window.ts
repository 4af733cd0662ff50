// Sliding windows (the pools): a loop over output pixels, and inside it the window's taps,
// unrolled when the window is small. Boundary tests are kept only for taps that can actually
// fall into the padding (decided here, where the window's geometry is known).
import type { Padding } from "../../check/types.js";
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";

/** Windows up to this many taps (7x7) are fully unrolled; larger ones stay loops. */
export const UNROLL_TAPS = 49;

export interface Window {
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  readonly padding: Padding;
}

export interface WindowCode {
  /** statements at the top of each output pixel; `oy`, `ox` and `p = oy * outW + ox` are in scope */
  readonly pixelStart: Stmt[];
  /** one tap, whose input pixel index `q = iy * inW + ix` is in scope */
  readonly tap: (at: Tap) => Stmt[];
  readonly pixelEnd: Stmt[];
}

const unrolls = (w: Window, readable: boolean): boolean => w.kh * w.kw <= UNROLL_TAPS && !readable;

/** Where a tap is, for kernels that remember it (maxpool's f32x4 argmax). */
export interface Tap {
  /** the window's first tap, and one that is never in the padding: it always runs first */
  readonly first: boolean;
  /** q minus the pixel's origin `oy * sh * inW + ox * sw` (a literal when the taps are unrolled) */
  readonly offset: Expr;
}

/** The plain schedule (readable builds) keeps every window a loop. */
export function slide(w: Window, code: WindowCode, readable: boolean): Stmt[] {
  return slidePixels(w, pixelBody(w, code, readable));
}

/** The loops over the output pixels around `pixel`, with `oy`, `ox` and `p = oy * outW + ox` in
 *  scope (a kernel wraps pixelBody in them itself to walk each window once per channel). */
export function slidePixels(w: Window, pixel: Stmt[]): Stmt[] {
  return [
    b.for("oy", w.outH, (oy) => [
      b.for("ox", w.outW, (ox) => [b.const("p", b.add(b.mul(oy, w.outW), ox)), ...pixel]),
    ]),
  ];
}

/** One output pixel's start, window walk and end. */
export function pixelBody(w: Window, code: WindowCode, readable: boolean): Stmt[] {
  const taps = unrolls(w, readable) ? unrolledTaps(w, code) : loopedTaps(w, code);
  return [...code.pixelStart, ...taps, ...code.pixelEnd];
}

/** Whether the window's first tap is in the input for every output pixel (the taps unrolled,
 *  no padding above or left of it): then it always runs, and runs first. */
export function firstTapAlways(w: Window, readable: boolean): boolean {
  return unrolls(w, readable) && bounds(b.ref("iy"), -w.padding.top, w.sh, w.outH, w.inH) === null && bounds(b.ref("ix"), -w.padding.left, w.sw, w.outW, w.inW) === null;
}

/** The input pixel of the window's origin (its tap 0, 0 without padding or dilation). */
export const origin = (w: Window): Expr => b.add(b.mul(b.ref("oy"), w.sh * w.inW), b.mul(b.ref("ox"), w.sw));

function unrolledTaps(w: Window, code: WindowCode): Stmt[] {
  const rows: Stmt[] = [];
  for (let ky = 0; ky < w.kh; ky++) {
    const dy = ky * w.dh - w.padding.top;
    const cols: Stmt[] = [];
    for (let kx = 0; kx < w.kw; kx++) {
      const dx = kx * w.dw - w.padding.left;
      const test = bounds(b.ref("ix"), dx, w.sw, w.outW, w.inW);
      const first = ky === 0 && kx === 0 && firstTapAlways(w, false);
      const tap = code.tap({ first, offset: b.num(dy * w.inW + dx) });
      cols.push(b.block(b.const("ix", b.add(b.mul(b.ref("ox"), w.sw), dx)), guard(test, [b.const("q", b.add(b.ref("qy"), b.ref("ix"))), ...tap])));
    }
    const test = bounds(b.ref("iy"), dy, w.sh, w.outH, w.inH);
    rows.push(b.block(b.const("iy", b.add(b.mul(b.ref("oy"), w.sh), dy)), guard(test, [b.const("qy", b.mul(b.ref("iy"), w.inW)), ...cols])));
  }
  return rows;
}

function loopedTaps(w: Window, code: WindowCode): Stmt[] {
  // Skip the taps outside the input, testing only the sides the window can cross.
  const skip = (v: string, pad: number, last: number, n: number): Stmt[] => {
    const tests = [...(pad > 0 ? [b.lt(b.ref(v), 0)] : []), ...(last >= n ? [b.ge(b.ref(v), n)] : [])];
    return tests.length === 0 ? [] : [b.if(tests.reduce((x, y) => b.or(x, y)), [b.continue()])];
  };
  return [
    b.for("ky", w.kh, (ky) => [
      b.const("iy", b.add(b.mul(b.ref("oy"), w.sh), b.mul(ky, w.dh), -w.padding.top)),
      ...skip("iy", w.padding.top, (w.outH - 1) * w.sh + (w.kh - 1) * w.dh - w.padding.top, w.inH),
      b.for("kx", w.kw, (kx) => [
        b.const("ix", b.add(b.mul(b.ref("ox"), w.sw), b.mul(kx, w.dw), -w.padding.left)),
        ...skip("ix", w.padding.left, (w.outW - 1) * w.sw + (w.kw - 1) * w.dw - w.padding.left, w.inW),
        b.const("q", b.add(b.mul(b.ref("iy"), w.inW), b.ref("ix"))),
        ...code.tap({ first: false, offset: b.add(b.mul(ky, w.dh * w.inW), b.mul(kx, w.dw), -(w.padding.top * w.inW + w.padding.left)) }),
      ]),
    ]),
  ];
}

/** The test that keeps `v = o * s + d` inside [0, n) for every o < outN, or null if none is needed. */
function bounds(v: Expr, d: number, s: number, outN: number, n: number): Expr | null {
  const tests: Expr[] = [];
  if (d < 0) tests.push(b.ge(v, 0));
  if ((outN - 1) * s + d >= n) tests.push(b.lt(v, n));
  return tests.length === 0 ? null : tests.reduce((x, y) => b.and(x, y));
}

function guard(test: Expr | null, body: Stmt[]): Stmt[] {
  return test === null ? body : [b.if(test, body)];
}

/** Whether some output pixel's window lies entirely in the padding (possible only with
 *  explicit padding at least as large as the window). */
export function mayBeEmpty(w: Window): boolean {
  const axisEmpty = (outN: number, s: number, k: number, d: number, pad: number, n: number): boolean => {
    for (let o = 0; o < outN; o++) {
      let any = false;
      for (let t = 0; t < k && !any; t++) {
        const i = o * s + t * d - pad;
        any = i >= 0 && i < n;
      }
      if (!any) return true;
    }
    return false;
  };
  return (
    axisEmpty(w.outH, w.sh, w.kh, w.dh, w.padding.top, w.inH) || axisEmpty(w.outW, w.sw, w.kw, w.dw, w.padding.left, w.inW)
  );
}
