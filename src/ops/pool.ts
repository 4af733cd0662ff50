// What maxpool and avgpool share: size, stride (default: the size), padding; [h, w, c] -> [h', w', c],
// and along a sequence [n, c] -> [n', c] (Keras' MaxPooling1D), pooled as a one-row image.
import { poolPaddingTooLarge, windowTooLarge } from "../diagnostics/shapes.js";
import { pairOnSequence } from "../diagnostics/sequence.js";
import { optional, required, type Signature } from "../check/args/bind.js";
import { pairKind, paddingKind, type PaddingArg, type Pair } from "../check/args/kinds.js";
import type { Padding, Shape } from "../check/types.js";
import { elementCount } from "../check/sizes.js";
import { resolveWindow } from "../check/window.js";
import type { ShapeContext } from "./op.js";
import { requireImageOrSequence } from "./rank.js";

export interface PoolAttrs {
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
  /** padded cells never count: max ignores them, avg divides by the real cells only (TF's rule) */
  readonly padding: Padding;
}

export interface PoolArgs {
  readonly size: Pair;
  /** null: the window size, so windows tile the input */
  readonly stride: Pair | null;
  readonly padding: PaddingArg;
}

export const poolSignature: Signature<PoolArgs> = {
  size: required(pairKind(1)),
  stride: optional(pairKind(1), null),
  padding: optional(paddingKind, { kind: "valid" } as PaddingArg),
};

/** Padded cells never count, so a window made only of padding would have nothing to pool. */
function paddingFits(args: PoolArgs, ctx: ShapeContext, sequence: boolean): boolean {
  if (args.padding.kind !== "explicit") return true;
  const pad = args.padding.pad;
  if (2 * pad[0] <= args.size[0] && 2 * pad[1] <= args.size[1]) return true;
  const [shownPad, shownSize] = sequence ? [[pad[1]], [args.size[1]]] : [pad, args.size];
  ctx.report(poolPaddingTooLarge(ctx.argSpan("padding"), ctx.op, shownPad, shownSize));
  return false;
}

/** Along a sequence every window argument is one integer (`3`, or a pair of equal sides). */
function sequenceArgs(args: PoolArgs, ctx: ShapeContext): PoolArgs | undefined {
  const pad = args.padding.kind === "explicit" ? args.padding.pad : null;
  const written: [string, Pair | null][] = [["size", args.size], ["stride", args.stride], ["padding", pad]];
  let ok = true;
  for (const [name, pair] of written)
    if (pair !== null && pair[0] !== pair[1]) {
      ctx.report(pairOnSequence(ctx.argSpan(name), ctx.op, name, pair));
      ok = false;
    }
  if (!ok) return undefined;
  // one row: the window is 1 x k and nothing is padded above or below
  const row = (pair: Pair): Pair => [1, pair[1]];
  const padding: PaddingArg = pad === null ? args.padding : { kind: "explicit", pad: [0, pad[1]] };
  return { size: row(args.size), stride: args.stride === null ? null : row(args.stride), padding };
}

export function inferPool(input: Shape, args: PoolArgs, ctx: ShapeContext): { shape: Shape; attrs: PoolAttrs } | undefined {
  const spatial = requireImageOrSequence(input, ctx);
  if (spatial === undefined) return undefined;
  if (spatial.rank === "sequence") {
    const [n, c] = spatial.dims;
    const row = sequenceArgs(args, ctx);
    if (row === undefined || !paddingFits(row, ctx, true)) return undefined;
    const pooled = poolWindow([1, n], row, ctx, true);
    return pooled && { shape: [pooled.out[1], c], attrs: pooled.attrs };
  }
  if (!paddingFits(args, ctx, false)) return undefined;
  const [h, w, c] = spatial.dims;
  const pooled = poolWindow([h, w], args, ctx, false);
  return pooled && { shape: [...pooled.out, c], attrs: pooled.attrs };
}

function poolWindow(input: Pair, args: PoolArgs, ctx: ShapeContext, sequence: boolean): { out: Pair; attrs: PoolAttrs } | undefined {
  const stride = args.stride ?? args.size;
  const window = resolveWindow(input, { size: args.size, stride, dilation: [1, 1], padding: args.padding });
  if (window.fits) return { out: window.out, attrs: { size: args.size, stride, padding: window.padding } };
  // a sequence's window is reported along its one axis
  const span = sequence ? [window.span[1]] : window.span;
  const padded = sequence ? [window.padded[1]] : window.padded;
  ctx.report(windowTooLarge(ctx.span, ctx.op, span, padded, ctx.inputs[0]!));
  return undefined;
}

/** One operation per window cell per output element. */
export function poolFlops(output: Shape, attrs: PoolAttrs): number {
  return attrs.size[0] * attrs.size[1] * elementCount(output);
}
