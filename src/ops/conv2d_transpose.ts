// conv2d_transpose(filters, kernel, stride: 1, padding: valid, bias: true): [h, w, c] ->
// [h', w', filters], the exact adjoint of the conv2d (same kernel, stride, padding) that maps
// [h', w', filters] back to [h, w, c]. valid: n*s + max(k - s, 0); same: n*s, the cells that
// conv2d's padding would add cropped, floor(total / 2) at the top and left (Keras' rule).
import { transposePadding } from "../diagnostics/names.js";
import { transposeOnSequence } from "../diagnostics/shapes.js";
import { optional, required } from "../check/args/bind.js";
import { boolKind, pairKind, paddingKind, sizeKind, type PaddingArg, type Pair } from "../check/args/kinds.js";
import { kernelParam, paramOptions, zeroBias } from "./init.js";
import type { Padding, ParamOptions } from "../check/types.js";
import { defineOp, type Op } from "./op.js";
import { requireImage } from "./rank.js";
import { conv2dTranspose as kernel } from "../emit/kernels/conv2d_transpose.js";

/** conv2d_transpose: kernel [kh, kw, filters, c]; `padding` is that of the conv2d it is the
 *  adjoint of (the cells cropped from the full output). */
export interface Conv2dTransposeAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: Padding;
  readonly bias: boolean;
}

interface Conv2dTransposeArgs extends ParamOptions {
  readonly filters: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: PaddingArg;
  readonly bias: boolean;
}

/** One axis: the output size and the cells cropped before and after. */
function transposeAxis(n: number, k: number, s: number, same: boolean): { out: number; before: number; after: number } {
  if (!same) return { out: n * s + Math.max(k - s, 0), before: 0, after: 0 };
  const total = Math.max(k - s, 0);
  const before = Math.floor(total / 2);
  return { out: n * s, before, after: total - before };
}

export const conv2dTranspose: Op<"conv2d_transpose", Conv2dTransposeAttrs> = defineOp<"conv2d_transpose", Conv2dTransposeArgs, Conv2dTransposeAttrs>({
  name: "conv2d_transpose",
  inputs: "pipe",
  signature: {
    filters: required(sizeKind(1)),
    kernel: required(pairKind(1)),
    stride: optional(pairKind(1), [1, 1] as Pair),
    padding: optional(paddingKind, { kind: "valid" } as PaddingArg),
    bias: optional(boolKind, true),
    ...paramOptions,
  },
  infer([input], args, ctx) {
    if (input!.length === 2) {
      ctx.report(transposeOnSequence(ctx.span, ctx.op, ctx.inputs[0]!));
      return undefined;
    }
    const image = requireImage(input!, ctx);
    if (args.padding.kind === "explicit") {
      const [ph, pw] = args.padding.pad;
      ctx.report(transposePadding(ctx.argSpan("padding"), ph === pw ? `${ph}` : `[${ph}, ${pw}]`));
      return undefined;
    }
    if (image === undefined) return undefined;
    const [h, w] = image;
    const { filters, kernel, stride, bias } = args;
    const same = args.padding.kind === "same";
    const rows = transposeAxis(h, kernel[0], stride[0], same);
    const cols = transposeAxis(w, kernel[1], stride[1], same);
    const padding = { top: rows.before, bottom: rows.after, left: cols.before, right: cols.after };
    const { init, trainable } = args;
    return { shape: [rows.out, cols.out, filters], attrs: { filters, kernel, stride, padding, bias, init, trainable } };
  },
  params([input], attrs) {
    const [kh, kw] = attrs.kernel;
    const c = input![2]!;
    // Keras' transposed layout [kh, kw, filters, c], fans read from that shape as Keras does
    const kernel = kernelParam([kh, kw, attrs.filters, c], attrs);
    return attrs.bias ? [kernel, zeroBias(attrs.filters, attrs)] : [kernel];
  },
  flops([input], [oh, ow], attrs) {
    const [h, w, c] = input as [number, number, number];
    const [kh, kw] = attrs.kernel;
    return 2 * kh * kw * c * attrs.filters * h * w + (attrs.bias ? oh! * ow! * attrs.filters : 0);
  },
  // the output channel is axis 2 of the kernel [kh, kw, filters, c]: [kh*kw, filters, c]
  lower: { kernel, fusesActivation: true, foldsChannelScale: { kernel: 0, bias: 1, inner: (input) => input[2]! } },
});
