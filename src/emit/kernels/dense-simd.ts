// dense's forward pass on the wasm target's f32 builds: f32x4 over the units (the contiguous
// axis of the kernel rows). A block of VECTORS vectors of 4 units accumulates in v128 locals over
// the whole input, each input element splatted once and multiplied into every vector of the
// block (a zero input, common after a relu, is skipped as in the scalar kernel); the last u % 4
// units are scalars (f64 locals). Sums are f32: results differ from the TypeScript target's in
// the last bits.
import type { ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { sizes } from "./dense.js";
import { laneBlocks, storeLanes } from "./store-simd.js";
import type { KernelEnv } from "./types.js";

/** Vectors of 4 units per block: 4 independent accumulators hide the adds' latency. */
const VECTORS = 4;

export function denseSimdForward(node: ForwardNode, env: KernelEnv): Stmt[] {
  const { n, u, bias } = sizes(node, env);
  const x = env.value(node.inputs[0]!);
  const y = env.value(node.output);
  const k = env.param(node, 0);
  const act = node.fused?.activation;
  const pre = env.preActivation(node);
  return laneBlocks(u, VECTORS, (j0, count, lanes) => {
    const acc = range(count);
    const at = (i: number) => b.add(j0, i * lanes);
    return [
      ...acc.map((i) => b.let(`s${i}`, bias ? b.at(env.param(node, 1), at(i), lanes) : lanes === 4 ? b.splat(0) : 0)),
      b.for("i", n, (i) => [
        b.const("v", b.at(x, i)),
        b.if(b.eq(b.ref("v"), 0), [b.continue()]),
        ...(lanes === 4 ? [b.const("sv", b.splat(b.ref("v")))] : []),
        b.const("ki", b.add(b.base(k), b.mul(i, u), j0)),
        ...acc.map((q) => b.assign(`s${q}`, b.mul(b.ref(lanes === 4 ? "sv" : "v"), b.load("a", b.add(b.ref("ki"), q * lanes), lanes)), "+=")),
      ]),
      ...acc.flatMap((i) => storeLanes(act, y, pre, b.add(b.base(y), at(i)), b.ref(`s${i}`), lanes)),
    ];
  });
}
