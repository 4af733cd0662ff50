// What depthwise_conv2d and separable_conv2d share: the depthwise window's arguments, its shape
// rule and its zero-bordered input copy.
import { windowTooLarge } from "../diagnostics/shapes.js";
import { optional, required } from "../check/args/bind.js";
import { boolKind, pairKind, paddingKind, sizeKind, type PaddingArg, type Pair } from "../check/args/kinds.js";
import { resolveWindow } from "../check/window.js";
import type { Padding, ParamOptions, Shape } from "../check/types.js";
import { paramOptions } from "./init.js";
import type { ShapeContext } from "./op.js";
import { requireImage } from "./rank.js";

/** depthwise_conv2d: kernel [kh, kw, c, m], output channel ci * m + j. */
export interface DepthwiseConv2dAttrs extends ParamOptions {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  /** named as the argument, so an editor's resolved arguments read as the source does */
  readonly depth_multiplier: number;
  readonly bias: boolean;
}

export interface DepthwiseArgs extends ParamOptions {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: PaddingArg;
  readonly dilation: Pair;
  readonly depth_multiplier: number;
  readonly bias: boolean;
}

/** The signature after `filters` (separable) or from the start (depthwise). */
export const depthwiseSignature = {
  kernel: required(pairKind(1)),
  stride: optional(pairKind(1), [1, 1] as Pair),
  padding: optional(paddingKind, { kind: "valid" } as PaddingArg),
  dilation: optional(pairKind(1), [1, 1] as Pair),
  depth_multiplier: optional(sizeKind(1), 1),
  bias: optional(boolKind, true),
  ...paramOptions,
};

/** The depthwise output [h', w', c * m] and the resolved attributes, or undefined after reporting. */
export function inferDepthwise(input: Shape, args: DepthwiseArgs, ctx: ShapeContext): { shape: Shape; attrs: DepthwiseConv2dAttrs } | undefined {
  const image = requireImage(input, ctx);
  if (image === undefined) return undefined;
  const [h, w, c] = image;
  const { kernel, stride, dilation, bias, init, trainable } = args;
  const window = resolveWindow([h, w], { size: kernel, stride, dilation, padding: args.padding });
  if (!window.fits) {
    ctx.report(windowTooLarge(ctx.span, ctx.op, window.span, window.padded, ctx.inputs[0]!));
    return undefined;
  }
  const m = args.depth_multiplier;
  return { shape: [...window.out, c * m], attrs: { kernel, stride, dilation, padding: window.padding, depth_multiplier: m, bias, init, trainable } };
}

/** Elements of the zero-bordered input copy (0 without padding). */
export function depthwisePadded([h, w, c]: Shape, { padding: p }: DepthwiseConv2dAttrs): number {
  return p.top + p.bottom + p.left + p.right === 0 ? 0 : (h! + p.top + p.bottom) * (w! + p.left + p.right) * c!;
}

/** 2 * kh * kw * c * m * h' * w': one multiply-add per tap of each depthwise output. */
export function depthwiseFlops(input: Shape, [oh, ow]: Shape, attrs: DepthwiseConv2dAttrs): number {
  return 2 * attrs.kernel[0] * attrs.kernel[1] * input[2]! * attrs.depth_multiplier * oh! * ow!;
}
