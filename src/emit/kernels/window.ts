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
  readonly tap: () => Stmt[];
  readonly pixelEnd: Stmt[];
  /** wraps each pixel's start, taps and end (after `p`), e.g. in a loop over channels */
  readonly around?: (pixel: Stmt[]) => Stmt[];
}

/** The plain schedule (readable builds) keeps every window a loop. */
export function slide(w: Window, code: WindowCode, readable: boolean): Stmt[] {
  const taps = w.kh * w.kw <= UNROLL_TAPS && !readable ? unrolledTaps(w, code) : loopedTaps(w, code);
  return [
    b.for("oy", w.outH, (oy) => [
      b.for("ox", w.outW, (ox) => [
        b.const("p", b.add(b.mul(oy, w.outW), ox)),
        ...(code.around ?? ((pixel: Stmt[]) => pixel))([...code.pixelStart, ...taps, ...code.pixelEnd]),
      ]),
    ]),
  ];
}

function unrolledTaps(w: Window, code: WindowCode): Stmt[] {
  const rows: Stmt[] = [];
  for (let ky = 0; ky < w.kh; ky++) {
    const dy = ky * w.dh - w.padding.top;
    const cols: Stmt[] = [];
    for (let kx = 0; kx < w.kw; kx++) {
      const dx = kx * w.dw - w.padding.left;
      const test = bounds(b.ref("ix"), dx, w.sw, w.outW, w.inW);
      cols.push(b.block(b.const("ix", b.add(b.mul(b.ref("ox"), w.sw), dx)), guard(test, [b.const("q", b.add(b.ref("qy"), b.ref("ix"))), ...code.tap()])));
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
        ...code.tap(),
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
