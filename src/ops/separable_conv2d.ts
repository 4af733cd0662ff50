// separable_conv2d(filters, kernel, stride: 1, padding: valid, dilation: 1, depth_multiplier: 1,
// bias: true): a depthwise conv (no bias) then a 1x1 conv, one layer: [h, w, c] -> [h', w', filters].
// The depthwise output [h', w', c * m] lives in the arena as the layer's scratch value.
import { required } from "../check/args/bind.js";
import { sizeKind } from "../check/args/kinds.js";
import { kernelParam, zeroBias } from "./init.js";
import { defineOp, type Op } from "./op.js";
import { depthwiseFlops, depthwisePadded, depthwiseSignature, inferDepthwise, type DepthwiseArgs, type DepthwiseConv2dAttrs } from "./depthwise.js";
import { separableConv2d as kernel } from "../emit/kernels/separable_conv2d.js";

/** separable_conv2d: a depthwise conv (no bias) into a scratch value, then a 1x1 conv. */
export interface SeparableConv2dAttrs extends DepthwiseConv2dAttrs {
  readonly filters: number;
}

interface SeparableArgs extends DepthwiseArgs {
  readonly filters: number;
}

export const separableConv2d: Op<"separable_conv2d", SeparableConv2dAttrs> = defineOp<"separable_conv2d", SeparableArgs, SeparableConv2dAttrs>({
  name: "separable_conv2d",
  inputs: "pipe",
  signature: { filters: required(sizeKind(1)), ...depthwiseSignature },
  infer([input], args, ctx) {
    const depthwise = inferDepthwise(input!, args, ctx);
    if (depthwise === undefined) return undefined;
    const [oh, ow] = depthwise.shape;
    return { shape: [oh!, ow!, args.filters], attrs: { ...depthwise.attrs, filters: args.filters } };
  },
  params([input], attrs) {
    const [kh, kw] = attrs.kernel;
    const [c, m, f] = [input![2]!, attrs.depth_multiplier, attrs.filters];
    // each kernel has its own Keras fans: [kh, kw, c, m] and [1, 1, c * m, filters]
    // one `init:` for both kernels, each with the fans of its own shape (Keras' rule)
    const depthwise = kernelParam([kh, kw, c, m], attrs, "depthwise_kernel");
    const pointwise = kernelParam([1, 1, c * m, f], attrs, "pointwise_kernel");
    return attrs.bias ? [depthwise, pointwise, zeroBias(f, attrs)] : [depthwise, pointwise];
  },
  flops([input], output, attrs) {
    const [oh, ow, f] = output as [number, number, number];
    const cm = input![2]! * attrs.depth_multiplier;
    return depthwiseFlops(input!, output, attrs) + 2 * cm * f * oh * ow + (attrs.bias ? oh * ow * f : 0);
  },
  lower: {
    kernel,
    fusesActivation: true,
    // the output channel is the pointwise kernel's last axis; its bias is parameter 2
    foldsChannelScale: { kernel: 1, bias: 2 },
    scratch: {
      padded: depthwisePadded,
      values: (input, [oh, ow], attrs) => [{ name: "depthwise", size: oh! * ow! * input[2]! * attrs.depth_multiplier }],
    },
  },
});
