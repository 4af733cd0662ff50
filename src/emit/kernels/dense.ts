// dense, kernel [in, units]: the unit loop is innermost, so kernel rows are read contiguously.
// After a flatten the input offset is the pooled tensor's own storage (the flatten is an alias).
import { affine, num, range, sum } from "../code.js";
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
      const acc = range(size);
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
    const dy = env.off(grad.dy);
    const dx = grad.dxs[0] ?? null;
    const biasGrad = bias ? `for (let j = 0; j < ${num(u)}; j++) a[${affine(env.paramGrad(node, 1), 1, "j")}] += a[${affine(dy, 1, "j")}];` : "";
    const rows: Rows = { n, u, x: env.off(node.inputs[0]!), dy, dx: dx === null ? null : env.off(dx), k: env.param(node, 0), gk: env.paramGrad(node, 0) };
    const pairs = Math.floor(n / 2);
    return `${deriveBlock(node.fused?.activation, env.off(node.output), dy, u)}
      ${biasGrad}
      ${pairs === 0 ? "" : `for (let i = 0; i < ${num(pairs * 2)}; i += 2) { ${rowBlock(rows, "i", 2)} }`}
      ${n % 2 === 1 ? `{ ${rowBlock(rows, n - 1, 1)} }` : ""}`;
  },
};

interface Rows {
  readonly n: number;
  readonly u: number;
  readonly x: number;
  readonly dy: number;
  /** offset of the input gradient, or null when nothing upstream needs it */
  readonly dx: number | null;
  readonly k: number;
  readonly gk: number;
}

/** Units per step of the backward loop. */
const STEP = 4;

/** Backward through `count` kernel rows from row i: dW[i, :] += x[i] * dy and, when the input
 *  needs a gradient, dx[i] += W[i, :] . dy. Each dy load serves every row of the block, and each
 *  row's dot product is split over two partial sums, so the adds do not queue behind one
 *  another's latency. */
function rowBlock(r: Rows, i: string | number, count: number): string {
  const rows = range(count);
  const full = r.u - (r.u % STEP);
  const heads = rows.map((q) => {
    const row = typeof i === "number" ? i + q : q === 0 ? i : `${i} + ${q}`;
    return `const v${q} = a[${typeof row === "number" ? num(r.x + row) : sum(r.x, row)}];
      const g${q} = ${typeof row === "number" ? num(r.gk + row * r.u) : sum(affine(r.gk, r.u, i), q * r.u)};
      ${r.dx === null ? "" : `const k${q} = ${typeof row === "number" ? num(r.k + row * r.u) : sum(affine(r.k, r.u, i), q * r.u)}; let p${q} = 0; let h${q} = 0;`}`;
  });
  // one unit j + t: its dy in a local, then every row's multiply-adds
  const unit = (j: string, t: number): string => {
    const at = (base: string): string => (j === "" ? `${base} + ${num(t)}` : sum(base, j, t));
    const d = `d${t}`;
    return `const ${d} = a[${j === "" ? num(r.dy + t) : sum(r.dy, j, t)}];
      ${rows.map((q) => `${r.dx === null ? "" : `${t % 2 === 0 ? "p" : "h"}${q} += a[${at(`k${q}`)}] * ${d};`} a[${at(`g${q}`)}] += v${q} * ${d};`).join(" ")}`;
  };
  const loop = full === 0 ? "" : `for (let j = 0; j < ${num(full)}; j += ${STEP}) { ${range(STEP).map((t) => unit("j", t)).join("\n")} }`;
  const rest = range(r.u - full).map((t) => `{ ${unit("", full + t)} }`).join("\n");
  const dxs = r.dx === null ? "" : rows.map((q) => {
    const row = typeof i === "number" ? num(r.dx! + i + q) : sum(r.dx!, i, q);
    return `a[${row}] += p${q} + h${q};`;
  }).join(" ");
  return `${heads.join("\n")}
    ${loop}
    ${rest}
    ${dxs}`;
}

