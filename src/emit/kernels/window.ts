// Sliding windows (conv2d and the pools): a loop over output pixels, and inside it the window's
// taps, unrolled when the window is small. Boundary tests are emitted only for taps that can
// actually fall into the padding.
import type { Padding } from "../../check/types.js";
import { affine, num, sum } from "../code.js";

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
  /** code at the top of each output pixel; `oy`, `ox` and `p = oy * outW + ox` are in scope */
  readonly pixelStart: string;
  /** code for one tap whose input pixel index `q = iy * inW + ix` is in scope; `tap` is the
   *  tap number ky * kw + kx, a literal when unrolled */
  readonly tap: (tap: string | number) => string;
  readonly pixelEnd: string;
}

export function slide(w: Window, code: WindowCode): string {
  const taps = w.kh * w.kw <= UNROLL_TAPS ? unrolledTaps(w, code) : loopedTaps(w, code);
  return `for (let oy = 0; oy < ${num(w.outH)}; oy++) {
    for (let ox = 0; ox < ${num(w.outW)}; ox++) {
      const p = ${sum(affine(0, w.outW, "oy"), "ox")};
      ${code.pixelStart}
      ${taps}
      ${code.pixelEnd}
    }
  }`;
}

function unrolledTaps(w: Window, code: WindowCode): string {
  const rows: string[] = [];
  for (let ky = 0; ky < w.kh; ky++) {
    const dy = ky * w.dh - w.padding.top;
    const cols: string[] = [];
    for (let kx = 0; kx < w.kw; kx++) {
      const dx = kx * w.dw - w.padding.left;
      const tap = code.tap(ky * w.kw + kx);
      const test = bounds("ix", dx, w.sw, w.outW, w.inW);
      cols.push(`{ const ix = ${sum(affine(0, w.sw, "ox"), dx)}; ${guard(test, `const q = qy + ix; ${tap}`)} }`);
    }
    const test = bounds("iy", dy, w.sh, w.outH, w.inH);
    rows.push(`{ const iy = ${sum(affine(0, w.sh, "oy"), dy)}; ${guard(test, `const qy = iy * ${num(w.inW)}; ${cols.join("\n")}`)} }`);
  }
  return rows.join("\n");
}

function loopedTaps(w: Window, code: WindowCode): string {
  return `for (let ky = 0; ky < ${num(w.kh)}; ky++) {
    const iy = ${sum(affine(0, w.sh, "oy"), affine(0, w.dh, "ky"), -w.padding.top)};
    if (iy < 0 || iy >= ${num(w.inH)}) continue;
    for (let kx = 0; kx < ${num(w.kw)}; kx++) {
      const ix = ${sum(affine(0, w.sw, "ox"), affine(0, w.dw, "kx"), -w.padding.left)};
      if (ix < 0 || ix >= ${num(w.inW)}) continue;
      const q = iy * ${num(w.inW)} + ix;
      const tap = ky * ${num(w.kw)} + kx;
      ${code.tap("tap")}
    }
  }`;
}

/** The test that keeps `v = o * s + d` inside [0, n) for every o < outN, or "" if none is needed. */
function bounds(v: string, d: number, s: number, outN: number, n: number): string {
  const tests: string[] = [];
  if (d < 0) tests.push(`${v} >= 0`);
  if ((outN - 1) * s + d >= n) tests.push(`${v} < ${num(n)}`);
  return tests.join(" && ");
}

function guard(test: string, body: string): string {
  return test === "" ? body : `if (${test}) { ${body} }`;
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
