// add(a, b, ...): element-wise sum of two or more tensors of one shape.
import { addShapeMismatch } from "../diagnostics/shapes.js";
import { elementCount, sameShape } from "../check/sizes.js";
import { defineOp, type Op } from "./op.js";
import { add as kernel } from "../emit/kernels/add.js";

export const add: Op<"add", Record<string, never>> = defineOp<"add", Record<string, never>, Record<string, never>>({
  name: "add",
  inputs: "tensors",
  signature: {},
  infer(inputs, _args, ctx) {
    const first = inputs[0]!;
    if (inputs.every((shape) => sameShape(shape, first))) return { shape: first, attrs: {} };
    ctx.report(addShapeMismatch(ctx.span, ctx.inputs));
    return undefined;
  },
  // k inputs take k - 1 additions per element
  flops: (inputs, output) => (inputs.length - 1) * elementCount(output),
  lower: { kernel },
});
