// upsample(size: 2, interpolation: nearest): [h, w, c] -> [h*sh, w*sw, c]; `nearest` repeats each
// cell, `bilinear` interpolates with half-pixel centres (tf.image.resize, PyTorch's
// align_corners=False).
import { optional } from "../check/args/bind.js";
import { choiceKind, pairKind, type Pair } from "../check/args/kinds.js";
import { elementCount } from "../check/sizes.js";
import { defineOp, type Op } from "./op.js";
import { requireImage } from "./rank.js";
import { upsample as kernel } from "../emit/kernels/upsample.js";

export interface UpsampleAttrs {
  readonly size: readonly [number, number];
  readonly interpolation: "nearest" | "bilinear";
}

export const upsample: Op<"upsample", UpsampleAttrs> = defineOp<"upsample", UpsampleAttrs, UpsampleAttrs>({
  name: "upsample",
  inputs: "pipe",
  signature: {
    size: optional(pairKind(1), [2, 2] as Pair),
    interpolation: optional(choiceKind(["nearest", "bilinear"] as const), "nearest"),
  },
  infer([input], args, ctx) {
    const image = requireImage(input!, ctx);
    if (image === undefined) return undefined;
    const [h, w, c] = image;
    return { shape: [h * args.size[0], w * args.size[1], c], attrs: args };
  },
  // a copy costs nothing; bilinear weighs four cells per output element (LANGUAGE.md's 8)
  flops: (_inputs, output, attrs) => (attrs.interpolation === "bilinear" ? 8 * elementCount(output) : 0),
  lower: { kernel },
});
