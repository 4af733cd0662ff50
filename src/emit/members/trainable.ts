// The optimizer steps the trainable parameters only: a parameter marked `state` (batch-norm
// moving statistics) is stored with the weights but never stepped. The parameter block is in
// declaration order, so the trainable ones are a few contiguous runs; a model without state
// has one run, the whole block (one loop, as before).
import type { ParamInfo } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";

/** [start, end) element ranges of the parameter block the optimizer steps. */
export function trainableRanges(params: readonly ParamInfo[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const p of params) {
    if (p.state) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === p.offset) last[1] = p.offset + p.size;
    else ranges.push([p.offset, p.offset + p.size]);
  }
  return ranges;
}

/** One loop `for i` over each trainable run of the parameter block. */
export function forTrainable(params: readonly ParamInfo[], body: (i: Expr) => readonly Stmt[]): Stmt[] {
  const size = params.reduce((n, p) => n + p.size, 0);
  if (!params.some((p) => p.state)) return [b.for("i", size, body)];
  return trainableRanges(params).map(([start, end]) => b.for("i", end, body, { start }));
}
