// The tuned build resolves every region to its offset, so indices fold to one literal; the
// readable build keeps the names (printed as constants at the top of each method).
import type { Region, Stmt } from "../ir.js";
import { forEachExpr, rewrite } from "./walk.js";

export function resolveRegions(kernel: readonly Stmt[]): Stmt[] {
  return rewrite(kernel, { expr: (e) => (e.kind === "base" ? { kind: "num", value: e.region.offset } : e) });
}

/** The regions a kernel names, in order of first use. */
export function regionsOf(kernel: readonly Stmt[]): Region[] {
  const seen = new Map<string, Region>();
  forEachExpr(kernel, (e) => {
    if (e.kind === "base" && !seen.has(e.region.name)) seen.set(e.region.name, e.region);
  });
  return [...seen.values()];
}
