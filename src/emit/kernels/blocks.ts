// The register blocks of a kernel's contiguous axis (filters, units): full blocks of `block` in
// a loop over `v`, then the remainder as one narrower block with a literal start. One block is a
// plain block, not a loop of one iteration. The f32x4 form is laneBlocks (store-simd.ts).
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";

/** `body(start, size)` over [0, n) in blocks of `block`. */
export function blocks(n: number, body: (start: Expr, size: number) => Stmt[], block: number, v = "j0"): Stmt[] {
  const full = Math.floor(n / block);
  const rest = n % block;
  const parts: Stmt[] = [];
  if (full === 1) parts.push(b.block(body(b.num(0), block)));
  else if (full > 1) parts.push(b.for(v, full * block, (start) => body(start, block), { step: block }));
  if (rest > 0) parts.push(b.block(body(b.num(full * block), rest)));
  return parts;
}
