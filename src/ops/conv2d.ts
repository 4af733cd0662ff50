// conv2d(filters, kernel, stride: 1, padding: valid, dilation: 1, groups: 1, bias: true): [h, w, c] -> [h', w', filters]
import { filtersNotDivisible } from "../diagnostics/names.js";
import { channelsNotDivisible, windowTooLarge } from "../diagnostics/shapes.js";
import { optional, required } from "../check/args/bind.js";
import { boolKind, pairKind, paddingKind, sizeKind, type PaddingArg, type Pair } from "../check/args/kinds.js";
import { resolveWindow } from "../check/window.js";
import type { Padding, ParamOptions } from "../check/types.js";
import { kernelParam, paramOptions, zeroBias } from "./init.js";
import { defineOp, lastAxisFold, type Op } from "./op.js";
import { requireImage } from "./rank.js";
import { conv2d as kernel } from "../emit/kernels/conv2d.js";
import { gatherBuffers } from "../emit/kernels/conv2d-simd.js";

export interface Conv2dAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: Padding;
  readonly bias: boolean;
  /** channel groups; present only when above 1, so a program without groups keeps its
   *  attributes (and its weight files' architecture hash) as before */
  readonly groups?: number;
}

interface Conv2dArgs extends ParamOptions {
  readonly filters: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: PaddingArg;
  readonly dilation: Pair;
  readonly bias: boolean;
  readonly groups: number;
}

export const conv2d: Op<"conv2d", Conv2dAttrs> = defineOp<"conv2d", Conv2dArgs, Conv2dAttrs>({
  name: "conv2d",
  inputs: "pipe",
  signature: {
    filters: required(sizeKind(1)),
    kernel: required(pairKind(1)),
    stride: optional(pairKind(1), [1, 1] as Pair),
    padding: optional(paddingKind, { kind: "valid" } as PaddingArg),
    dilation: optional(pairKind(1), [1, 1] as Pair),
    bias: optional(boolKind, true),
    // after `bias`, so the positional order of the core's arguments is unchanged
    groups: optional(sizeKind(1), 1),
    ...paramOptions,
  },
  infer([input], args, ctx) {
    const image = requireImage(input!, ctx);
    if (image === undefined) return undefined;
    const [h, w, c] = image;
    const { filters, kernel, stride, dilation, bias, groups } = args;
    let divisible = true;
    if (filters % groups !== 0) {
      ctx.report(filtersNotDivisible(ctx.argSpan("filters"), ctx.op, filters, groups));
      divisible = false;
    }
    if (c % groups !== 0) {
      ctx.report(channelsNotDivisible(ctx.argSpan("groups"), ctx.op, groups, ctx.inputs[0]!));
      divisible = false;
    }
    const window = resolveWindow([h, w], { size: kernel, stride, dilation, padding: args.padding });
    if (!window.fits) {
      ctx.report(windowTooLarge(ctx.span, ctx.op, window.span, window.padded, ctx.inputs[0]!));
      return undefined;
    }
    if (!divisible) return undefined;
    const { init, trainable } = args;
    const attrs = { filters, kernel, stride, dilation, padding: window.padding, bias, init, trainable };
    return { shape: [...window.out, filters], attrs: groups === 1 ? attrs : { ...attrs, groups } };
  },
  params([input], attrs) {
    const [kh, kw] = attrs.kernel;
    const channels = input![2]! / (attrs.groups ?? 1);
    const kernel = kernelParam([kh, kw, channels, attrs.filters], attrs);
    return attrs.bias ? [kernel, zeroBias(attrs.filters, attrs)] : [kernel];
  },
  flops([input], [oh, ow], attrs) {
    const [kh, kw] = attrs.kernel;
    const positions = oh! * ow! * attrs.filters;
    return 2 * kh * kw * (input![2]! / (attrs.groups ?? 1)) * positions + (attrs.bias ? positions : 0);
  },
  lower: {
    kernel,
    fusesActivation: true,
    foldsChannelScale: lastAxisFold,
    scratch: {
      padded: ([h, w, c], { padding: p }) => (p.top + p.bottom + p.left + p.right === 0 ? 0 : (h! + p.top + p.bottom) * (w! + p.left + p.right) * c!),
      // the f32x4 input gradient's buffers: the gather form's flipped kernel and bordered dy, or
      // the rows form's transposed kernel and bordered dx
      gather: gatherBuffers,
    },
  },
});
