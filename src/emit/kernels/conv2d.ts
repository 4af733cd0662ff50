// conv2d, HWC, kernel [kh, kw, in, filters]. The filter loop is innermost so the output pixel,
// the kernel row and (backward) its gradient are all read contiguously.
import type { Conv2dAttrs } from "../../check/types.js";
import type { ForwardNode } from "../../ir/graph.js";
import { affine, num } from "../code.js";
import { activateBlock, deriveBlock } from "./activation.js";
import type { Kernel, KernelEnv } from "./types.js";
import { slide, type Window } from "./window.js";

function geometry(node: ForwardNode, env: KernelEnv): { w: Window; cin: number; f: number; attrs: Conv2dAttrs } {
  if (node.layer.op !== "conv2d") throw new Error("internal: conv2d kernel on " + node.layer.op);
  const attrs = node.layer.attrs;
  const [inH, inW, cin] = env.shape(node.inputs[0]!) as [number, number, number];
  const [outH, outW] = env.shape(node.output) as [number, number, number];
  const w: Window = {
    inH, inW, outH, outW,
    kh: attrs.kernel[0], kw: attrs.kernel[1],
    sh: attrs.stride[0], sw: attrs.stride[1],
    dh: attrs.dilation[0], dw: attrs.dilation[1],
    padding: attrs.padding,
  };
  return { w, cin, f: attrs.filters, attrs };
}

export const conv2d: Kernel = {
  forward(node, env) {
    const { w, cin, f, attrs } = geometry(node, env);
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const k = env.param(node, 0);
    const init = attrs.bias ? `a[${affine(env.param(node, 1), 1, "j")}]` : "0";
    const body = slide(w, {
      pixelStart: `const o = ${affine(y, f, "p")}; for (let j = 0; j < ${num(f)}; j++) a[o + j] = ${init};`,
      tap: (tap) =>
        `const xq = ${affine(x, cin, "q")}; const kq = ${affine(k, cin * f, tap)};
         for (let c = 0; c < ${num(cin)}; c++) {
           const v = a[xq + c]; const kc = kq + c * ${num(f)};
           for (let j = 0; j < ${num(f)}; j++) a[o + j] += v * a[kc + j];
         }`,
      pixelEnd: "",
    });
    return body + "\n" + activateBlock(node.fused?.activation, y, env.size(node.output));
  },

  backward(node, grad, env) {
    const { w, cin, f, attrs } = geometry(node, env);
    const x = env.off(node.inputs[0]!);
    const dx = grad.dxs[0] ?? null;
    const dy = env.off(grad.dy);
    const k = env.param(node, 0);
    const gk = env.paramGrad(node, 0);
    const biasGrad = attrs.bias ? `for (let j = 0; j < ${num(f)}; j++) a[${affine(env.paramGrad(node, 1), 1, "j")}] += a[g + j];` : "";
    const inputGrad = dx === null ? "" : `a[${affine(env.off(dx), cin, "q")} + c] += s;`;
    const body = slide(w, {
      pixelStart: `const g = ${affine(dy, f, "p")}; ${biasGrad}`,
      tap: (tap) =>
        `const xq = ${affine(x, cin, "q")}; const kq = ${affine(k, cin * f, tap)}; const gq = ${affine(gk, cin * f, tap)};
         for (let c = 0; c < ${num(cin)}; c++) {
           const v = a[xq + c]; const kc = kq + c * ${num(f)}; const gc = gq + c * ${num(f)};
           let s = 0;
           for (let j = 0; j < ${num(f)}; j++) { const d = a[g + j]; s += a[kc + j] * d; a[gc + j] += v * d; }
           ${inputGrad}
         }`,
      pixelEnd: "",
    });
    return deriveBlock(node.fused?.activation, env.off(node.output), dy, env.size(node.output)) + "\n" + body;
  },
};
