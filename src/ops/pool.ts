// What maxpool and avgpool share: size, stride (default: the size), padding; [h, w, c] -> [h', w', c].
import { poolPaddingTooLarge, windowTooLarge } from "../diagnostics/shapes.js";
import { optional, required, type Signature } from "../check/args/bind.js";
import { pairKind, paddingKind, type PaddingArg, type Pair } from "../check/args/kinds.js";
import type { PoolAttrs, Shape } from "../check/types.js";
import { elementCount } from "../check/sizes.js";
import { resolveWindow } from "../check/window.js";
import type { ShapeContext } from "./op.js";
import { requireImage } from "./rank.js";

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
function paddingFits(args: PoolArgs, ctx: ShapeContext): boolean {
  if (args.padding.kind !== "explicit") return true;
  const pad = args.padding.pad;
  if (2 * pad[0] <= args.size[0] && 2 * pad[1] <= args.size[1]) return true;
  ctx.report(poolPaddingTooLarge(ctx.argSpan("padding"), ctx.op, pad, args.size));
  return false;
}

export function inferPool(input: Shape, args: PoolArgs, ctx: ShapeContext): { shape: Shape; attrs: PoolAttrs } | undefined {
  const image = requireImage(input, ctx);
  if (image === undefined || !paddingFits(args, ctx)) return undefined;
  const [h, w, c] = image;
  const stride = args.stride ?? args.size;
  const window = resolveWindow([h, w], { size: args.size, stride, dilation: [1, 1], padding: args.padding });
  if (!window.fits) {
    ctx.report(windowTooLarge(ctx.span, ctx.op, window.span, window.padded, ctx.inputs[0]!));
    return undefined;
  }
  return { shape: [...window.out, c], attrs: { size: args.size, stride, padding: window.padding } };
}

/** One operation per window cell per output element. */
export function poolFlops(output: Shape, attrs: PoolAttrs): number {
  return attrs.size[0] * attrs.size[1] * elementCount(output);
}
