// Shared geometry of maxpool and avgpool, over images and sequences. Padded cells never count
// (TensorFlow's rule).
import type { Shape } from "../../check/types.js";
import type { ForwardNode } from "../../ir/graph.js";
import type { KernelEnv } from "./types.js";
import type { Window } from "./window.js";

/** A sequence [n, c] is pooled as the one-row image [1, n, c] (its attributes are 1 x k). */
export function asImage(shape: Shape): [number, number, number] {
  return (shape.length === 2 ? [1, ...shape] : shape) as [number, number, number];
}

export function poolWindow(node: ForwardNode, env: KernelEnv): { w: Window; c: number } {
  const layer = node.layer;
  if (layer.op !== "maxpool" && layer.op !== "avgpool") throw new Error("internal: pool kernel on " + layer.op);
  const [inH, inW, c] = asImage(env.shape(node.inputs[0]!));
  const [outH, outW] = asImage(env.shape(node.output));
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
