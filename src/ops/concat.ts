// concat(a, b, ...): joins two or more tensors along the last (channel) axis.
import { concatShapeMismatch } from "../diagnostics/shapes.js";
import { sameShape } from "../check/sizes.js";
import { defineOp, type Op } from "./op.js";
import { concat as kernel } from "../emit/kernels/concat.js";

export const concat: Op<"concat", Record<string, never>> = defineOp<"concat", Record<string, never>, Record<string, never>>({
  name: "concat",
  inputs: "tensors",
  signature: {},
  infer(inputs, _args, ctx) {
    const leading = (shape: readonly number[]): readonly number[] => shape.slice(0, -1);
    const first = inputs[0]!;
    if (!inputs.every((shape) => sameShape(leading(shape), leading(first)) && shape.length === first.length)) {
      ctx.report(concatShapeMismatch(ctx.span, ctx.inputs));
      return undefined;
    }
    const channels = inputs.reduce((sum, shape) => sum + shape[shape.length - 1]!, 0);
    return { shape: [...leading(first), channels], attrs: {} };
  },
  // a copy, no arithmetic
  flops: () => 0,
  lower: { kernel },
});
