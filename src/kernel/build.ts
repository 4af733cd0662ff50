// Builders for kernel trees, so that an op's loops read like the math they compute (as
// Svelte's compiler builds ESTree with `b.*`): b.store(y, i, b.add(b.load(x, i), 1)). Numbers
// are accepted wherever an expression is; nothing is folded here (passes/fold.ts does that once,
// over the whole tree).
import type { AssignOp, BinaryOp, Buffer, Expr, MathFn, Region, Stmt } from "./ir.js";

export type E = Expr | number;

const expr = (e: E): Expr => (typeof e === "number" ? num(e) : e);

function num(value: number): Expr {
  if (!Number.isFinite(value) && Math.abs(value) !== Infinity) throw new Error(`internal: NaN literal in a kernel`);
  return { kind: "num", value };
}

function binary(op: BinaryOp, left: E, right: E): Expr {
  return { kind: "binary", op, left: expr(left), right: expr(right) };
}

/** Left-nested sum of the terms (0 for none). */
function add(...terms: E[]): Expr {
  if (terms.length === 0) return num(0);
  return terms.map(expr).reduce((acc, t) => binary("+", acc, t));
}

export interface ForOptions {
  readonly start?: number;
  readonly step?: number;
  /** ask the unroll pass to expand the loop when its trip count is small */
  readonly unroll?: boolean;
}

export const b = {
  num,
  ref: (name: string): Expr => ({ kind: "ref", name }),
  base: (region: Region): Expr => ({ kind: "base", region }),
  field: (name: string): Expr => ({ kind: "field", name }),
  /** buffer[index] */
  load: (buffer: Buffer, index: E, lanes = 1): Expr => ({ kind: "load", buffer, index: expr(index), lanes }),
  /** region[index]: the element `index` of a named region (with lanes 4, the vector of it and
   *  the next three) */
  at: (region: Region, index: E, lanes = 1): Expr => ({ kind: "load", buffer: region.buffer, index: add(b.base(region), index), lanes }),
  add,
  sub: (l: E, r: E) => binary("-", l, r),
  mul: (l: E, r: E) => binary("*", l, r),
  div: (l: E, r: E) => binary("/", l, r),
  lt: (l: E, r: E) => binary("<", l, r),
  le: (l: E, r: E) => binary("<=", l, r),
  gt: (l: E, r: E) => binary(">", l, r),
  ge: (l: E, r: E) => binary(">=", l, r),
  eq: (l: E, r: E) => binary("===", l, r),
  ne: (l: E, r: E) => binary("!==", l, r),
  and: (l: E, r: E) => binary("&&", l, r),
  or: (l: E, r: E) => binary("||", l, r),
  bin: binary,
  neg: (e: E): Expr => ({ kind: "unary", op: "-", operand: expr(e) }),
  not: (e: E): Expr => ({ kind: "unary", op: "!", operand: expr(e) }),
  math: (fn: MathFn, ...args: E[]): Expr => ({ kind: "math", fn, args: args.map(expr) }),
  call: (fn: string, ...args: E[]): Expr => ({ kind: "call", fn, args: args.map(expr) }),
  select: (cond: E, then: E, otherwise: E): Expr => ({ kind: "select", cond: expr(cond), then: expr(then), otherwise: expr(otherwise) }),
  /** `lanes` copies of a scalar (an f32x4 for lanes 4) */
  splat: (value: E, lanes = 4): Expr => ({ kind: "splat", value: expr(value), lanes }),
  /** lane `lane` of a vector */
  lane: (vector: E, lane: number): Expr => ({ kind: "lane", vector: expr(vector), lane }),
  /** the sum of a vector's lanes */
  hsum: (vector: E): Expr => ({ kind: "hsum", vector: expr(vector) }),
  /** Sum of a[i] over a list: the terms of a dot product or an add. */
  sum: (terms: readonly E[]): Expr => add(...terms),

  /** for (let v = start; v < end; v += step) body(v) */
  for(v: string, end: number, body: (i: Expr) => readonly Stmt[], options: ForOptions = {}): Stmt {
    return { kind: "for", v, start: options.start ?? 0, end, step: options.step ?? 1, body: body(b.ref(v)), unroll: options.unroll };
  },
  block: (...body: (Stmt | readonly Stmt[])[]): Stmt => ({ kind: "block", body: body.flat() }),
  let: (name: string, init: E): Stmt => ({ kind: "let", name, init: expr(init), mutable: true }),
  const: (name: string, init: E): Stmt => ({ kind: "let", name, init: expr(init), mutable: false }),
  assign: (name: string, value: E, op: AssignOp = "="): Stmt => ({ kind: "assign", name, op, value: expr(value) }),
  setField: (name: string, value: E): Stmt => ({ kind: "setField", name, value: expr(value) }),
  /** buffer[index] op= value (a vector at index .. index + lanes - 1 when lanes > 1) */
  store: (buffer: Buffer, index: E, value: E, op: AssignOp = "=", lanes = 1): Stmt => ({ kind: "store", buffer, index: expr(index), op, value: expr(value), lanes }),
  /** region[index] op= value */
  put: (region: Region, index: E, value: E, op: AssignOp = "=", lanes = 1): Stmt => ({ kind: "store", buffer: region.buffer, index: add(b.base(region), index), op, value: expr(value), lanes }),
  if: (cond: E, then: readonly Stmt[], otherwise: readonly Stmt[] = []): Stmt => ({ kind: "if", cond: expr(cond), then, otherwise }),
  continue: (): Stmt => ({ kind: "continue" }),
  return: (value: E | null = null): Stmt => ({ kind: "return", value: value === null ? null : expr(value) }),
  invoke: (method: string, ...args: E[]): Stmt => ({ kind: "invoke", method, args: args.map(expr) }),
  comment: (text: string): Stmt => ({ kind: "comment", text, readers: false }),
  /** what a loop nest computes, in the notation of the math: for the readable build only */
  note: (text: string): Stmt => ({ kind: "comment", text, readers: true }),
};

/** A region of the arena (or the index arena) at a fixed offset. */
export function region(name: string, offset: number, size: number, buffer: Region["buffer"] = "a"): Region {
  return { name, buffer, offset, size };
}
