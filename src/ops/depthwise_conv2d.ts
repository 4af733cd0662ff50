// depthwise_conv2d(kernel, stride: 1, padding: valid, dilation: 1, depth_multiplier: 1, bias: true):
// [h, w, c] -> [h', w', c * m], output channel ci * m + j from input channel ci alone.
import { kernelParam, zeroBias } from "./init.js";
import { defineOp, lastAxisFold, type Op } from "./op.js";
import { depthwiseFlops, depthwisePadded, depthwiseSignature, inferDepthwise, type DepthwiseArgs, type DepthwiseConv2dAttrs } from "./depthwise.js";
import { depthwiseConv2d as kernel } from "../emit/kernels/depthwise_conv2d.js";

export const depthwiseConv2d: Op<"depthwise_conv2d", DepthwiseConv2dAttrs> = defineOp<"depthwise_conv2d", DepthwiseArgs, DepthwiseConv2dAttrs>({
  name: "depthwise_conv2d",
  inputs: "pipe",
  signature: depthwiseSignature,
  infer: ([input], args, ctx) => inferDepthwise(input!, args, ctx),
  params([input], attrs) {
    const [kh, kw] = attrs.kernel;
    const [c, m] = [input![2]!, attrs.depth_multiplier];
    // Keras' fans from the shape [kh, kw, c, m]: receptive field times the last two axes
    const kernel = kernelParam([kh, kw, c, m], attrs);
    return attrs.bias ? [kernel, zeroBias(c * m, attrs)] : [kernel];
  },
  flops: ([input], output, attrs) => depthwiseFlops(input!, output, attrs) + (attrs.bias ? output[0]! * output[1]! * output[2]! : 0),
  // output channel ci * m + j is the kernel [kh, kw, c, m]'s last two axes read as one, so a
  // per-channel scale folds into it as into conv2d's last axis
  lower: { kernel, fusesActivation: true, foldsChannelScale: lastAxisFold, scratch: { padded: depthwisePadded } },
});
