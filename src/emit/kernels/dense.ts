// dense, kernel [in, units]: the unit loop is innermost, so kernel rows are read contiguously.
// After a flatten the input is the pooled tensor's own storage (the flatten is an alias).
import type { ForwardNode } from "../../ir/graph.js";
// The tuned TypeScript schedules are derived from the plain nests (dense-plain.ts, which the
// readable build prints) by the tiling passes (src/kernel/passes/tile.ts); this file keeps the
// decisions: which loops, which widths, which names.
import type { Region, Stmt } from "../../kernel/ir.js";
import { accumulate, atLoop, fuse, hoist, hoistIndexBase, skipWhenZero, splitSum, stripMine, unrollAndJam, unrollCopies, type For, type Scope } from "../../kernel/passes/tile.js";
import { forEachStmt, someExpr } from "../../kernel/passes/walk.js";
import { denseBackwardPlain, denseForwardPlain } from "./dense-plain.js";
import { denseSimdBackward, denseSimdBlock, denseSimdForward } from "./dense-simd.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Units accumulated in registers at once by the forward pass. */
const UNIT_BLOCK = 8;
/** Kernel rows per block of the backward pass, and units per unrolled strip of its unit loop. */
const ROW_BLOCK = 2;
const UNIT_STEP = 4;

export function sizes(node: ForwardNode, env: KernelEnv): { n: number; u: number; bias: boolean } {
  if (node.layer.op !== "dense") throw new Error("internal: dense kernel on " + node.layer.op);
  return { n: env.size(node.inputs[0]!), u: node.layer.attrs.units, bias: node.layer.attrs.bias };
}

/** What a dense forward kernel reads and writes: its sizes, input, output, kernel, the fused
 *  activation and where its pre-activation is kept (if the activation's derivative needs it). */
export function forwardRegions(node: ForwardNode, env: KernelEnv) {
  return { ...sizes(node, env), x: env.value(node.inputs[0]!), y: env.value(node.output), k: env.param(node, 0), act: node.fused?.activation, pre: env.preActivation(node) };
}

export const dense: Kernel = {
  forward(node, env) {
    if (env.readable) return denseForwardPlain(node, env);
    // f32x4 over the units where the target has them (dense-simd.ts)
    if (env.lanes === 4) return denseSimdForward(node, env);
    // Register blocking, derived from the plain nest: UNIT_BLOCK units accumulate in locals
    // over the whole input (one input load, zero-skipped, serves them all), then the stores,
    // which apply the fused activation.
    const { x, k } = forwardRegions(node, env);
    const jam = (strip: For) => unrollAndJam(strip, (_, q) => `s${q}`);
    const blocked = atLoop(denseForwardPlain(node, env), "j", (l) => stripMine(l, { width: UNIT_BLOCK, outer: "j0", inner: "jj", then: jam }));
    return atLoop(blocked, "i", (l) => skipWhenZero(hoist(hoistIndexBase(l, "ki", k), "v", x), "v"));
  },

  backward(node, grad, env) {
    if (env.readable) return denseBackwardPlain(node, grad, env);
    if (env.lanes === 4) return denseSimdBackward(node, grad, env);
    // Derived from the plain nests: the input-gradient and kernel-gradient nests fused, each
    // kernel row's bases and input element hoisted out of the unit loop, its dot product
    // summed in a local; then ROW_BLOCK rows jammed (each dy load serves every row of the
    // block), the units in strips of UNIT_STEP unrolled with their dy in a local, and each
    // row's sum split over two partials, so the adds do not queue behind one another's latency.
    const x = env.value(node.inputs[0]!);
    const dy = env.value(grad.dy);
    const k = env.param(node, 0);
    const dxValue = grad.dxs[0] ?? null;
    const dx = dxValue === null ? null : env.value(dxValue);
    const gk = grad.paramGrads ? env.paramGrad(node, 0) : null;
    const plain = denseBackwardPlain(node, grad, env);
    const nests = plain.filter((s): s is For => s.kind === "for" && [dx, gk].some((r) => r !== null && storesInto(s, r)));
    if (nests.length === 0) return plain;
    let row: Stmt[] = [nests.reduce((a, c) => fuse(a, c))];
    if (gk !== null) row = atLoop(row, "j", (l) => hoist(l, "v", x, "before"));
    if (gk !== null) row = atLoop(row, "j", (l) => hoistIndexBase(l, "g", gk, "before"));
    if (dx !== null) row = atLoop(row, "j", (l) => hoistIndexBase(l, "k", k, "before"));
    if (dx !== null) row = atLoop(row, "j", (l, scope) => accumulate(l, dx, "p", scope));
    const units = (scope: Scope) => (strip: For, whole: boolean) => unrollCopies(hoist(strip, "d", dy, "body", scope), (n, _, t) => `${n}${t}`, whole ? "splice" : "blocks");
    const rows = (strip: For): Stmt[] => {
      let block = atLoop(unrollAndJam(strip), "j", (l, scope) => stripMine(l, { width: UNIT_STEP, outer: "j", inner: "t", oneStrip: "loop", then: units(scope) }));
      if (dx !== null) for (let q = 0; q < strip.end - strip.start; q++) block = splitSum(block, `p${q}`, [`h${q}`]);
      return block;
    };
    const derived = stripMine(row[0] as For, { width: ROW_BLOCK, outer: "i", inner: "ii", oneStrip: "loop", then: rows });
    return [...plain.filter((s) => !nests.includes(s as For)), ...derived];
  },

  // only the f32x4 builds have a batch block (batchBlock in src/options.ts)
  block: denseSimdBlock,
};

/** Whether the statement stores into the region. */
function storesInto(s: Stmt, r: Region): boolean {
  let found = false;
  forEachStmt([s], (t) => {
    if (t.kind === "store" && someExpr(t.index, (e) => e.kind === "base" && e.region.name === r.name)) found = true;
  });
  return found;
}
