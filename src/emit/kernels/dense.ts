// dense, kernel [in, units]: the unit loop is innermost, so kernel rows are read contiguously.
// After a flatten the input offset is the pooled tensor's own storage (the flatten is an alias).
import { affine, num, sum } from "../code.js";
import { deriveBlock, formula } from "./activation.js";
import type { Kernel } from "./types.js";

function sizes(node: Parameters<Kernel["forward"]>[0], env: Parameters<Kernel["forward"]>[1]): { n: number; u: number; bias: boolean } {
  if (node.layer.op !== "dense") throw new Error("internal: dense kernel on " + node.layer.op);
  return { n: env.size(node.inputs[0]!), u: node.layer.attrs.units, bias: node.layer.attrs.bias };
}

export const dense: Kernel = {
  forward(node, env) {
    const { n, u, bias } = sizes(node, env);
    const x = env.off(node.inputs[0]!);
    const y = env.off(node.output);
    const k = env.param(node, 0);
    // Register blocking: 8 units accumulate in locals over the whole input, then one store,
    // which applies the fused activation.
    const act = node.fused?.activation;
    const block = (j0: string | number, size: number): string => {
      const acc = Array.from({ length: size }, (_, i) => i);
      return `${acc.map((i) => `let s${i} = ${bias ? `a[${sum(env.param(node, 1) + i, j0)}]` : "0"};`).join(" ")}
        for (let i = 0; i < ${num(n)}; i++) {
          const v = a[${affine(x, 1, "i")}];
          if (v === 0) continue;
          const ki = ${sum(affine(k, u, "i"), j0)};
          ${acc.map((i) => `s${i} += v * a[ki + ${i}];`).join(" ")}
        }
        ${acc.map((i) => `a[${sum(y + i, j0)}] = ${act ? formula(act, `s${i}`, env.precision) : `s${i}`};`).join(" ")}`;
    };
    const full = Math.floor(u / 8);
    const rest = u % 8;
    const loops = [
      full === 1 ? `{ ${block(0, 8)} }` : full > 1 ? `for (let j0 = 0; j0 < ${num(full * 8)}; j0 += 8) { ${block("j0", 8)} }` : "",
      rest > 0 ? `{ ${block(full * 8, rest)} }` : "",
    ];
    return loops.join("\n");
  },

  backward(node, grad, env) {
    const { n, u, bias } = sizes(node, env);
    const x = env.off(node.inputs[0]!);
    const dy = env.off(grad.dy);
    const dx = grad.dxs[0] ?? null;
    const k = env.param(node, 0);
    const gk = env.paramGrad(node, 0);
    const biasGrad = bias ? `for (let j = 0; j < ${num(u)}; j++) a[${affine(env.paramGrad(node, 1), 1, "j")}] += a[${affine(dy, 1, "j")}];` : "";
    const weightGrad = `const v = a[${affine(x, 1, "i")}]; const gi = ${affine(gk, u, "i")};`;
    const body =
      dx === null
        ? `${weightGrad} if (v === 0) continue;
           for (let j = 0; j < ${num(u)}; j++) a[gi + j] += v * a[${affine(dy, 1, "j")}];`
        : `${weightGrad} const ki = ${affine(k, u, "i")}; let s = 0;
           for (let j = 0; j < ${num(u)}; j++) { const d = a[${affine(dy, 1, "j")}]; s += a[ki + j] * d; a[gi + j] += v * d; }
           a[${affine(env.off(dx), 1, "i")}] += s;`;
    return `${deriveBlock(node.fused?.activation, env.off(node.output), dy, u)}
      ${biasGrad}
      for (let i = 0; i < ${num(n)}; i++) { ${body} }`;
  },
};
