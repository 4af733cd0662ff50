// f32 builds keep their values in a Float64Array arena and round every value they store to
// float32 with Math.fround. The arena then holds exactly the numbers a Float32Array would, bit
// for bit (the f64 arithmetic between stores is the same either way), but the kernels, which
// load far more often than they store, skip the float32-to-float64 conversion on every load:
// W1 trains about 20% faster. test/storage.test.ts checks the bit-for-bit claim against
// Float32Array builds (CompileOptions.float32Arena).
import type { Expr, Stmt } from "../ir.js";
import { rewrite } from "./walk.js";

/** Every store to the arena `a` rounded: `a[i] op= v` becomes `a[i] = fround(a[i] op v)`. */
export function roundStores(kernel: readonly Stmt[]): Stmt[] {
  return rewrite(kernel, { stmt: (s) => (s.kind === "store" && s.buffer === "a" ? rounded(s) : s) });
}

function rounded(s: Extract<Stmt, { kind: "store" }>): Stmt {
  // vectors are f32x4 already, and only in builds on a Float32Array arena
  if (s.lanes !== 1) throw new Error("internal: a vector store in a build that rounds stores");
  if (s.op === "=") return exact(s.value) ? s : { ...s, value: fround(s.value) };
  if (s.op === "^=") throw new Error("internal: a bitwise store into the arena");
  const op = s.op === "+=" ? "+" : s.op === "-=" ? "-" : "*";
  const current: Expr = { kind: "load", buffer: s.buffer, index: s.index, lanes: s.lanes };
  return { ...s, op: "=", value: fround({ kind: "binary", op, left: current, right: s.value }) };
}

const fround = (value: Expr): Expr => ({ kind: "math", fn: "fround", args: [value] });

/** Values that are float32 already: literals a float32 holds exactly, and copies of arena
 *  elements. */
function exact(value: Expr): boolean {
  if (value.kind === "num") return Math.fround(value.value) === value.value || Number.isNaN(value.value);
  return value.kind === "load" && value.buffer === "a";
}
