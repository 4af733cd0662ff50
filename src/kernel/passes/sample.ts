// Layer-major training runs a per-sample kernel at sample s's copy of the per-sample buffers
// (src/ir/plan.ts): every region from `start` on in the arena, and every region of the index
// arena, moves by a run-time offset (`so`, `sx`: s times the section's stride). The kernel's
// loops and every other index stay as they were.
import { b } from "../build.js";
import type { Stmt } from "../ir.js";
import { rewrite } from "./walk.js";

/** The method parameters that hold a sample's offsets into the arena and the index arena. */
export const SAMPLE_OFFSET = "so";
export const SAMPLE_INDEX_OFFSET = "sx";

export function atSample(kernel: readonly Stmt[], start: number): Stmt[] {
  return rewrite(kernel, {
    expr: (e) => {
      if (e.kind !== "base") return e;
      if (e.region.buffer === "ix") return b.add(e, b.ref(SAMPLE_INDEX_OFFSET));
      return e.region.offset >= start ? b.add(e, b.ref(SAMPLE_OFFSET)) : e;
    },
  });
}
