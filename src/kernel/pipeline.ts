// The schedule passes a kernel goes through before a printer sees it, in order. The tuned
// build unrolls what the op marked small, resolves regions to offsets and folds every index to
// one literal; the readable build keeps loops and region names. Both round arena stores in f32
// builds whose arena is a Float64Array (passes/round.ts).
import type { Stmt } from "./ir.js";
import { fold } from "./passes/fold.js";
import { resolveRegions } from "./passes/regions.js";
import { roundStores } from "./passes/round.js";
import { unroll } from "./passes/unroll.js";
import { rewrite } from "./passes/walk.js";

export interface Schedule {
  /** the plain build for people reading the code: no unrolling, regions by name */
  readonly readable: boolean;
  /** round every arena store to float32 (f32 builds on a Float64Array arena) */
  readonly roundStores: boolean;
}

/** `kernel` after the schedule's passes; `ints` names the method parameters that hold integers. */
export function schedule(kernel: readonly Stmt[], s: Schedule, ints: readonly string[] = []): Stmt[] {
  // Notes state the math of a loop nest for readers; the tuned build leaves them out.
  let k = s.readable ? [...kernel] : resolveRegions(unroll(withoutNotes(kernel)));
  k = fold(k, ints);
  return s.roundStores ? roundStores(k) : k;
}

function withoutNotes(kernel: readonly Stmt[]): Stmt[] {
  return rewrite(kernel, { stmt: (s) => (s.kind === "comment" && s.readers ? [] : s) });
}
