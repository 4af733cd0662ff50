// Sliding-window output sizes and padding, TensorFlow's rules, per spatial axis.
import type { Padding } from "./types.js";
import type { Pair, PaddingArg } from "./args/kinds.js";

export interface AxisWindow {
  readonly size: number;
  readonly stride: number;
  readonly dilation: number;
  /** "valid", "same", or explicit cells on both sides */
  readonly padding: "valid" | "same" | number;
}

export type AxisResult =
  | { readonly fits: true; readonly out: number; readonly before: number; readonly after: number }
  | { readonly fits: false; readonly span: number; readonly padded: number };

/** The extent one window covers: a dilated kernel of size k spans d*(k-1)+1 cells. */
export function windowSpan(size: number, dilation: number): number {
  return dilation * (size - 1) + 1;
}

export function resolveAxis(n: number, window: AxisWindow): AxisResult {
  const span = windowSpan(window.size, window.dilation);
  if (window.padding === "same") {
    const out = Math.ceil(n / window.stride);
    const total = Math.max((out - 1) * window.stride + span - n, 0);
    // TensorFlow puts the odd cell of padding at the bottom/right
    const before = Math.floor(total / 2);
    return { fits: true, out, before, after: total - before };
  }
  const pad = window.padding === "valid" ? 0 : window.padding;
  const padded = n + 2 * pad;
  if (span > padded) return { fits: false, span, padded };
  return { fits: true, out: Math.floor((padded - span) / window.stride) + 1, before: pad, after: pad };
}

export interface Window2d {
  readonly size: Pair;
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: PaddingArg;
}

export type Window2dResult =
  | { readonly fits: true; readonly out: Pair; readonly padding: Padding }
  | { readonly fits: false; readonly span: Pair; readonly padded: Pair };

function axisPadding(padding: PaddingArg, axis: 0 | 1): AxisWindow["padding"] {
  return padding.kind === "explicit" ? padding.pad[axis] : padding.kind;
}

/** Output height and width and the resolved padding of a window over an [h, w] input. */
export function resolveWindow(input: Pair, window: Window2d): Window2dResult {
  const axis = (index: 0 | 1): AxisResult =>
    resolveAxis(input[index], {
      size: window.size[index],
      stride: window.stride[index],
      dilation: window.dilation[index],
      padding: axisPadding(window.padding, index),
    });
  const rows = axis(0);
  const cols = axis(1);
  if (rows.fits && cols.fits) {
    const padding = { top: rows.before, bottom: rows.after, left: cols.before, right: cols.after };
    return { fits: true, out: [rows.out, cols.out], padding };
  }
  const span: Pair = [windowSpan(window.size[0], window.dilation[0]), windowSpan(window.size[1], window.dilation[1])];
  const extra = window.padding.kind === "explicit" ? window.padding.pad : [0, 0];
  const padded: Pair = [input[0] + 2 * extra[0], input[1] + 2 * extra[1]];
  return { fits: false, span, padded };
}
