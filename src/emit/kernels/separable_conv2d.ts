// separable_conv2d, HWC: the depthwise convolution (grouped-conv.ts, no bias) into the layer's
// scratch value D [h', w', c * m], then the pointwise 1x1 convolution of D, with the bias and
// the fused activation. Backward runs the two in reverse, dD in the zeroed gradient region.
// The tuned build runs the pointwise step through conv2d's register-tiled loops (a 1x1 conv
// over D); the readable build prints it as its plain loops.
import type { ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Region, Stmt } from "../../kernel/ir.js";
import { deriveBlock, putActivated } from "./activation.js";
import { interior } from "../../kernel/passes/border.js";
import { biasGrad, inputGrad, tunedForward, weightGrad, type Geometry } from "./conv2d.js";
import { groupGeometry, groupedBackward, groupedForward, type GroupGeometry } from "./grouped-conv.js";
import type { Kernel, KernelEnv } from "./types.js";

/** The pointwise step as conv2d's geometry: a 1x1 conv over D [h', w', c * m]. */
function pointwiseGeometry(oh: number, ow: number, cm: number, f: number, bias: boolean): Geometry {
  return { h: oh, w: ow, c: cm, oh, ow, f, kh: 1, kw: 1, sh: 1, sw: 1, dh: 1, dw: 1, pt: 0, pl: 0, wp: ow, bias };
}

function parts(node: ForwardNode, env: KernelEnv): { g: GroupGeometry; pw: Geometry; pixels: number; cm: number; f: number; bias: boolean } {
  if (node.layer.op !== "separable_conv2d") throw new Error("internal: separable_conv2d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  const c = env.shape(node.inputs[0]!)[2]!;
  const [oh, ow, f] = env.shape(node.output) as [number, number, number];
  const cm = c * a.depth_multiplier;
  return { g: groupGeometry(node, env, a, c, [oh, ow, cm]), pw: pointwiseGeometry(oh, ow, cm, f, a.bias), pixels: oh * ow, cm, f, bias: a.bias };
}

export const separableConv2d: Kernel = {
  forward(node, env) {
    const { g, pw, pixels, cm, f, bias } = parts(node, env);
    const pad = env.padded(node);
    const x = env.value(node.inputs[0]!);
    const d = env.scratch(node, "depthwise").value;
    const pk = env.param(node, 1);
    const b0 = bias ? env.param(node, 2) : null;
    const y = env.value(node.output);
    const act = node.fused?.activation;
    const depthwise = [
      ...(pad ? interior(g, x, pad.input, "in") : []),
      ...groupedForward(g, { x: pad ? pad.input : x, k: env.param(node, 0), bias: null, y: d }, undefined, env.precision, { y: "D" }),
    ];
    if (!env.readable) return [...depthwise, ...tunedForward(pw, d, pk, b0, y, act, env.precision, env.preActivation(node))];
    return [
      ...depthwise,
      b.note(`Y[p, f] = ${act ? `${act.op}(` : ""}${b0 ? "B[f] + " : ""}sum over k of D[p, k] * P[0, 0, k, f]${act ? ")" : ""}, for every pixel p`),
      b.for("p", pixels, (p) => [
        b.for("fo", f, (fo) => [
          b.let("sum", b0 ? b.at(b0, fo) : 0),
          b.for("k", cm, (k) => [b.assign("sum", b.mul(b.at(d, b.add(b.mul(p, cm), k)), b.at(pk, b.add(b.mul(k, f), fo))), "+=")]),
          ...putActivated(act, y, env.preActivation(node), b.add(b.mul(p, f), fo), b.ref("sum"), env.precision),
        ]),
      ]),
    ];
  },

  backward(node, grad, env) {
    const { g, pw, pixels, cm, f, bias } = parts(node, env);
    const pad = env.padded(node);
    const dxValue = grad.dxs[0] ?? null;
    const dy = env.value(grad.dy);
    const mid = env.scratch(node, "depthwise");
    const dd = mid.grad!;
    const pk = env.param(node, 1);
    // a frozen layer's backward only carries the gradient through to its input
    const gpk = grad.paramGrads ? env.paramGrad(node, 1) : null;
    const gb: Region | null = bias && grad.paramGrads ? env.paramGrad(node, 2) : null;
    const tuned: Stmt[] = [...(gb ? biasGrad(pw, dy, gb) : []), ...inputGrad(pw, dy, mid.value, dd, pk), ...(gpk ? weightGrad(pw, dy, mid.value, gpk) : [])];
    const pointwise: Stmt[] = env.readable ? [
      b.note(`for each dY[p, f]: ${gb ? "dB[f] += dY; " : ""}dD[p, k] += P[0, 0, k, f] * dY and dP[0, 0, k, f] += D[p, k] * dY, for every k`),
      b.for("p", pixels, (p) => [
        b.for("fo", f, (fo) => [
          b.const("g", b.at(dy, b.add(b.mul(p, f), fo))),
          ...(gb ? [b.put(gb, fo, b.ref("g"), "+=")] : []),
          b.for("k", cm, (k) => [
            b.put(dd, b.add(b.mul(p, cm), k), b.mul(b.at(pk, b.add(b.mul(k, f), fo)), b.ref("g")), "+="),
            ...(gpk ? [b.put(gpk, b.add(b.mul(k, f), fo), b.mul(b.at(mid.value, b.add(b.mul(p, cm), k)), b.ref("g")), "+=")] : []),
          ]),
        ]),
      ]),
    ] : tuned;
    const dx = dxValue === null ? null : pad ? pad.grad! : env.value(dxValue);
    return [
      ...deriveBlock(node, env, dy),
      ...pointwise,
      ...groupedBackward(g, { x: pad ? pad.input : env.value(node.inputs[0]!), k: env.param(node, 0), dy: dd, gk: grad.paramGrads ? env.paramGrad(node, 0) : null, gb: null, dx }, { y: "D" }),
      ...(pad && dxValue !== null ? interior(g, env.value(dxValue), pad.grad!, "out") : []),
    ];
  },
};
