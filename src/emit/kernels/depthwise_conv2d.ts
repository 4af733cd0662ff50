// depthwise_conv2d, HWC, kernel [kh, kw, c, m]: the grouped convolution with one group per input
// channel (grouped-conv.ts), whose kernel layout [kh, kw, 1, c * m] is the same array.
import { groupedKernel } from "./grouped-conv.js";

export const depthwiseConv2d = groupedKernel((node, env) => {
  if (node.layer.op !== "depthwise_conv2d") throw new Error("internal: depthwise_conv2d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  return { window: a, groups: env.shape(node.inputs[0]!)[2]!, output: env.shape(node.output), bias: a.bias };
});
