// Unrolling: a loop the op marked `unroll` becomes one block per value of its variable, the
// variable replaced by that literal (folding then turns the indices into literal offsets).
// Which loops are small enough is the op's schedule decision; the rewriting is this pass's.
import type { Stmt } from "../ir.js";
import { replaceRef, rewrite } from "./walk.js";

export function unroll(kernel: readonly Stmt[]): Stmt[] {
  return rewrite(kernel, {
    stmt: (s) => {
      if (s.kind !== "for" || !s.unroll) return s;
      const copies: Stmt[] = [];
      for (let v = s.start; v < s.end; v += s.step) {
        const body = substitute(s.body, s.v, v);
        // A copy that declares locals needs a scope of its own; one that does not is spliced.
        if (body.some((t) => t.kind === "let")) copies.push({ kind: "block", body });
        else copies.push(...body);
      }
      return copies;
    },
  });
}

/** The statements with every read of `name` replaced by the literal `value`. */
export function substitute(stmts: readonly Stmt[], name: string, value: number): Stmt[] {
  return replaceRef(stmts, name, { kind: "num", value });
}
