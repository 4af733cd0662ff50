// Shared geometry of maxpool and avgpool. Padded cells never count (TensorFlow's rule).
import type { ForwardNode } from "../../ir/graph.js";
import type { KernelEnv } from "./types.js";
import type { Window } from "./window.js";

export function poolWindow(node: ForwardNode, env: KernelEnv): { w: Window; c: number } {
  const layer = node.layer;
  if (layer.op !== "maxpool" && layer.op !== "avgpool") throw new Error("internal: pool kernel on " + layer.op);
  const [inH, inW, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [outH, outW] = env.shape(node.output) as [number, number, number];
  const a = layer.attrs;
  return {
    c,
    w: {
      inH, inW, outH, outW,
      kh: a.size[0], kw: a.size[1],
      sh: a.stride[0], sw: a.stride[1],
      dh: 1, dw: 1,
      padding: a.padding,
    },
  };
}
