// The WebAssembly printer: a scheduled kernel tree (regions resolved, indices folded) to one
// function of a binaryen module, over the module's linear memory. The arena's value `i` lives
// at byte `i * valueBytes`, the index arena's at `indexByte + i * 4`. Values are typed by
// inference: indices and loop variables are i32, every float is computed in f64 exactly as
// JavaScript computes it (a load widens, a store rounds to the arena's type), and the math
// functions wasm has no instruction for are imported from the module's own `Math`, so the
// scalar function gives the TypeScript target's results bit for bit. Vector values (lanes 4,
// in f32 builds only) are f32x4 and compute in f32: those kernels round differently.
// Kernels this printer does not take (an array argument, a call of a local function, a method
// call) return null: their callers keep them as TypeScript over the same memory.
import type binaryenModule from "binaryen";
import type { BinaryOp, Buffer, Expr, MathFn, Stmt } from "../ir.js";
import { children, someExpr } from "../passes/walk.js";

type Binaryen = typeof binaryenModule;
type Ref = number;

/** What inference knows of a value: an integer literal not yet bound to a type, a boolean, a
 *  signed or unsigned 32-bit integer, a float, an f32x4 vector, or a lane mask (the comparison
 *  of vectors: all ones where it holds, a v128 that only && || and select take). */
type T = "lit" | "b" | "i" | "u" | "f" | "v" | "m";

/** Math functions with an f32x4 instruction, which a vector computes lane by lane. */
const VECTOR_MATH: ReadonlySet<MathFn> = new Set(["abs", "sqrt", "floor", "max", "min", "fround"]);

/** Whether `e`, with every name in `vectors` a vector, is something this printer computes as an
 *  f32x4 (the kernels ask before they build a vector form of, say, a fused activation). */
export function vectorises(e: Expr, vectors: ReadonlySet<string>): boolean {
  const ok = (x: Expr): boolean => vectorises(x, vectors);
  switch (e.kind) {
    case "num":
    case "splat":
      return true;
    case "ref":
      return vectors.has(e.name);
    case "load":
      return e.lanes === 4 && e.buffer === "a";
    case "binary":
      return (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/") && (ok(e.left) || ok(e.right)) && [e.left, e.right].every((x) => ok(x) || x.kind === "num");
    case "unary":
      return e.op === "-" && ok(e.operand);
    case "math":
      return VECTOR_MATH.has(e.fn) && e.args.length > 0 && e.args.every(ok);
    default:
      return false;
  }
}

export interface WasmLayout {
  /** bytes of one arena value: 4 (f32 builds) or 8 (f64) */
  readonly valueBytes: 4 | 8;
  /** byte address of the index arena */
  readonly indexByte: number;
  /** a mutable i32 global holding the index arena's byte address instead (a layer-major model's
   *  memory grows with the batch, and the index arena moves past the grown value arena) */
  readonly indexGlobal?: string;
}

export interface WasmKernel {
  /** the function's parameters, in order: free variables, then fields read */
  readonly params: readonly { readonly name: string; readonly type: "i32" | "f64"; readonly field: boolean }[];
  /** a field the kernel writes: the function returns its value */
  readonly writes: string | null;
  /** the kernel returns a value (the function's result) */
  readonly returns: boolean;
}

/** Math functions with no wasm instruction: imported from the generated module's `Math`. */
export const IMPORTED: readonly MathFn[] = ["exp", "log", "log1p", "tanh", "pow", "cos"];

class Unsupported extends Error {}

interface Decl {
  local: number;
  /** f64x2 pairing (pairs.ts's schedule): the v128 local holding this float and its lane */
  pack?: { readonly local: number; readonly lane: 0 | 1 };
  type: T;
  readonly kind: "let" | "loop" | "param" | "field";
  readonly name: string;
}

const INT_OPS: ReadonlySet<BinaryOp> = new Set(["^", "<<", "|"]);
const COMPARE: ReadonlySet<BinaryOp> = new Set(["<", "<=", ">", ">=", "===", "!=="]);

function join(x: T, y: T): T {
  if (x === y) return x;
  if (x === "m" || y === "m") throw new Error("internal: a lane mask mixed with a value");
  // a scalar operand of a vector operation is splatted
  if (x === "v" || y === "v") return "v";
  if (x === "f" || y === "f") return "f";
  if (x === "lit") return y;
  if (y === "lit") return x;
  if ((x === "b" || x === "i") && (y === "b" || y === "i")) return "i";
  // an unsigned value mixed with a signed one: only a float holds both
  return "f";
}

const isLiteralInt = (v: number): boolean => Number.isInteger(v) && Math.abs(v) <= 2 ** 31 - 1 && !Object.is(v, -0);

/** Adds `kernel` to `m` as the exported function `name`, or returns null when it needs
 *  something only JavaScript has. `ints` names the free variables that hold integers. */
export function printWasm(binaryen: Binaryen, m: binaryenModule.Module, name: string, kernel: readonly Stmt[], ints: readonly string[], layout: WasmLayout, imported: Set<MathFn>, simd = true): WasmKernel | null {
  try {
    return new Printer(binaryen, m, kernel, ints, layout, imported, simd).function(name);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

class Printer {
  private readonly decls: Decl[] = [];
  private nParams = -1;
  private readonly free = new Map<string, Decl>();
  private readonly fields = new Map<string, Decl>();
  private written: string | null = null;
  private returnType: T | null = null;
  private scopes: Map<string, Decl>[] = [];
  /** the label `continue` branches to, innermost loop last */
  private loops: string[] = [];
  private labels = 0;
  /** the pass: inference (types only) or emission */
  private emitting = false;
  private declIndex = 0;
  private changed = false;
  /** the pass that chooses the f64x2 pairs (after inference, before emission) */
  private pairing = false;
  /** v128 locals, numbered after every scalar local */
  private vectors = 0;

  constructor(
    private readonly binaryen: Binaryen,
    private readonly m: binaryenModule.Module,
    private readonly kernel: readonly Stmt[],
    private readonly ints: readonly string[],
    private readonly layout: WasmLayout,
    private readonly imported: Set<MathFn>,
    private readonly simd: boolean,
  ) {}

  function(name: string): WasmKernel {
    // Inference to a fixed point: a local's type is the join of everything assigned to it.
    for (let round = 0; round < 20; round++) {
      this.changed = false;
      this.walk();
      if (!this.changed) break;
    }
    // A field or free variable nothing constrains is a float (this.learningRate).
    for (const d of [...this.free.values(), ...this.fields.values()]) if (d.type === "lit") d.type = "f";
    // Pairs of float locals that adjacent statements update alike share one f64x2 local.
    if (this.simd) {
      this.pairing = true;
      this.walk();
      this.pairing = false;
    }
    this.emitting = true;
    const body = this.walk();
    const params = [...this.free.values(), ...this.fields.values()];
    const wasmType = (t: T): number => this.wasm(t);
    if (this.written !== null && this.returnType !== null) throw new Unsupported();
    const result = this.written !== null ? this.fields.get(this.written)!.type : this.returnType;
    const resultType = result === null ? this.binaryen.none : wasmType(result);
    const tail = this.written !== null ? [this.get(this.fields.get(this.written)!)] : result !== null ? [this.m.unreachable()] : [];
    const vars = [...this.decls.map((d) => wasmType(this.final(d.type))), ...Array(this.vectors).fill(this.binaryen.v128)];
    this.m.addFunction(name, this.binaryen.createType(params.map((p) => wasmType(p.type))), resultType, vars, this.m.block(null, [...body, ...tail], resultType));
    this.m.addFunctionExport(name, name);
    return {
      params: params.map((p) => ({ name: p.name, type: p.type === "f" ? "f64" : "i32", field: p.kind === "field" })),
      writes: this.written,
      returns: this.returnType !== null,
    };
  }

  // --- declarations and scopes ---

  /** Runs one pass over the kernel. Free variables and fields are found in the first pass; as
   *  wasm numbers parameters first, the body's locals are numbered after them in a pre-pass. */
  private walk(): Ref[] {
    this.declIndex = 0;
    this.scopes = [new Map()];
    this.loops = [];
    this.labels = 0;
    if (this.nParams < 0) this.collectFree(this.kernel);
    return this.stmts(this.kernel);
  }

  /** Free variables and fields, first (they are the function's parameters, locals 0..n-1). */
  private collectFree(list: readonly Stmt[]): void {
    const bound: Set<string>[] = [new Set()];
    const isBound = (n: string): boolean => bound.some((s) => s.has(n));
    const expr = (e: Expr): void => {
      switch (e.kind) {
        case "ref":
          if (!isBound(e.name) && !this.free.has(e.name)) {
            this.free.set(e.name, this.newDecl("param", e.name, this.ints.includes(e.name) ? "i" : "lit"));
          }
          return;
        case "field":
          this.field(e.name);
          return;
        case "load":
          if (typeof e.buffer !== "string") throw new Unsupported();
          return expr(e.index);
        case "call":
          throw new Unsupported();
        default:
          return children(e).forEach(expr);
      }
    };
    const stmts = (l: readonly Stmt[]): void => {
      bound.push(new Set());
      for (const s of l) stmt(s);
      bound.pop();
    };
    const stmt = (s: Stmt): void => {
      switch (s.kind) {
        case "for":
          bound.push(new Set([s.v]));
          stmts(s.body);
          bound.pop();
          return;
        case "block":
          return stmts(s.body);
        case "let":
          expr(s.init);
          bound.at(-1)!.add(s.name);
          return;
        case "assign":
          if (!isBound(s.name)) throw new Unsupported();
          return expr(s.value);
        case "setField":
          this.field(s.name);
          if (this.written !== null && this.written !== s.name) throw new Unsupported();
          this.written = s.name;
          return expr(s.value);
        case "store":
          if (typeof s.buffer !== "string") throw new Unsupported();
          expr(s.index);
          return expr(s.value);
        case "if":
          expr(s.cond);
          stmts(s.then);
          return stmts(s.otherwise);
        case "return":
          if (s.value !== null) expr(s.value);
          return;
        case "invoke":
          throw new Unsupported();
        default:
          return;
      }
    };
    stmts(list);
    // parameters first: free variables, then fields
    const ordered = [...this.free.values(), ...this.fields.values()];
    ordered.forEach((d, i) => {
      d.local = i;
    });
    this.nParams = ordered.length;
  }

  private field(name: string): void {
    if (!this.fields.has(name)) this.fields.set(name, this.newDecl("field", name, "lit"));
  }

  /** A declaration; parameters are numbered once all are known, locals after them. */
  private newDecl(kind: Decl["kind"], name: string, type: T): Decl {
    return { local: this.nParams + this.decls.length, type, kind, name };
  }

  /** The declaration a `let` or a loop introduces: new in the first pass, the same object in
   *  later passes (they visit declarations in the same order). */
  private declare(kind: "let" | "loop", name: string, type: T): Decl {
    let d = this.decls[this.declIndex];
    if (d === undefined) {
      d = this.newDecl(kind, name, type);
      this.decls.push(d);
    } else {
      this.assignType(d, type);
    }
    this.declIndex++;
    this.scopes.at(-1)!.set(name, d);
    return d;
  }

  private assignType(d: Decl, t: T): void {
    const next = join(d.type, t);
    if (next !== d.type) {
      d.type = next;
      this.changed = true;
    }
  }

  private lookup(name: string): Decl {
    for (let k = this.scopes.length - 1; k >= 0; k--) {
      const d = this.scopes[k]!.get(name);
      if (d) return d;
    }
    const p = this.free.get(name);
    if (!p) throw new Error(`internal: ${name} is not in scope in a kernel`);
    return p;
  }

  private get(d: Decl): Ref {
    if (d.pack) return this.m.f64x2.extract_lane(this.m.local.get(d.pack.local, this.binaryen.v128), d.pack.lane);
    return this.m.local.get(this.localIndex(d), this.wasm(this.final(d.type)));
  }

  private set(d: Decl, value: Ref): Ref {
    if (d.pack) {
      const v = this.m.local.get(d.pack.local, this.binaryen.v128);
      return this.m.local.set(d.pack.local, this.m.f64x2.replace_lane(v, d.pack.lane, value));
    }
    return this.m.local.set(this.localIndex(d), value);
  }

  private totalScalars(): number {
    return this.nParams + this.decls.length;
  }

  // --- f64x2 pairs: two adjacent statements that do the same to neighbouring values become
  // one vector statement. Lanes compute in f64 exactly as the scalar code does (IEEE operations
  // lane by lane), so results stay bit for bit those of the TypeScript target.

  /** After statement k of `list` ran in the pairing pass: pack the targets of k - 1 and k. */
  private choosePair(list: readonly Stmt[], k: number, targets: (Decl | null)[]): void {
    const [s0, s1] = [list[k - 1], list[k]];
    const [d0, d1] = [targets[k - 1], targets[k]];
    if (!s0 || !s1 || !d0 || !d1 || d0 === d1 || d0.pack || d1.pack) return;
    if (s0.kind !== s1.kind || (s0.kind !== "let" && s0.kind !== "assign")) return;
    if (s0.kind === "assign" && s1.kind === "assign" && s0.op !== s1.op) return;
    if (this.final(d0.type) !== "f" || this.final(d1.type) !== "f" || d0.kind === "param" || d1.kind === "param" || d0.kind === "field" || d1.kind === "field") return;
    // the second may not read what the first just wrote
    const v1 = s1.kind === "let" ? s1.init : (s1 as { value: Expr }).value;
    if (mentions(v1, (s0 as { name: string }).name)) return;
    const local = this.totalScalars() + this.vectors++;
    d0.pack = { local, lane: 0 };
    d1.pack = { local, lane: 1 };
  }

  /** The two statements as one vector statement, or null. Declarations of a `let` pair are made
   *  here (in order), as the scalar path would. */
  private pair(s0: Stmt, s1: Stmt): Ref[] | null {
    const m = this.m;
    if (s0.kind === "let" && s1.kind === "let") {
      // the declarations these two make next, if the pairing pass packed them together
      const [n0, n1] = [this.decls[this.declIndex], this.decls[this.declIndex + 1]];
      if (!n0 || !n1 || !samePack(n0, n1) || mentions(s1.init, s0.name)) return null;
      const value = this.vec(s0.init, s1.init);
      const d0 = this.declare("let", s0.name, this.type(s0.init));
      const d1 = this.declare("let", s1.name, this.type(s1.init));
      if (!samePack(d0, d1)) throw new Error("internal: a let pair lost its pack");
      return [m.local.set(d0.pack!.local, value)];
    }
    if (s0.kind === "assign" && s1.kind === "assign") {
      const [d0, d1] = [this.lookup(s0.name), this.lookup(s1.name)];
      if (!samePack(d0, d1) || s0.op !== s1.op || mentions(s1.value, s0.name)) return null;
      const full = (s: typeof s0): Expr => (s.op === "=" ? s.value : { kind: "binary", op: s.op.slice(0, -1) as BinaryOp, left: { kind: "ref", name: s.name }, right: s.value });
      return [m.local.set(d0.pack!.local, this.vec(full(s0), full(s1)))];
    }
    // lanes 2k and 2k + 1 of one vector stored side by side (a partial vector's live lanes): one
    // 64-bit lane store
    const l0 = laneStore(s0);
    const l1 = laneStore(s1);
    if (l0 && l1 && s0.kind === "store" && s1.kind === "store" && l0.lane % 2 === 0 && l1.lane === l0.lane + 1 && sameRef(l0.vector, l1.vector) && next(s0.index, s1.index)) {
      const [ptr, offset] = this.address("a", s0.index);
      return [m.v128.store64_lane(offset, 4, l0.lane / 2, ptr, this.expr(l0.vector, "v"))];
    }
    if (s0.kind === "store" && s1.kind === "store" && s0.buffer === "a" && s1.buffer === "a" && s0.op === s1.op && s0.lanes === 1 && s1.lanes === 1) {
      if (!next(s0.index, s1.index) || hasLoad(s0.value) || hasLoad(s1.value)) return null;
      const full = (s: typeof s0): Expr => (s.op === "=" ? s.value : { kind: "binary", op: s.op.slice(0, -1) as BinaryOp, left: { kind: "load", buffer: "a", index: s.index, lanes: 1 }, right: s.value });
      const value = this.vec(full(s0), full(s1));
      const [ptr, offset] = this.address("a", s0.index);
      if (this.layout.valueBytes === 8) return [m.v128.store(offset, 8, ptr, value)];
      return [m.v128.store64_lane(offset, 4, 0, ptr, m.f32x4.demote_f64x2_zero(value))];
    }
    return null;
  }

  /** (e0, e1) as an f64x2: lane by lane what expr(e, "f") computes. */
  private vec(e0: Expr, e1: Expr): Ref {
    const m = this.m;
    const f = m.f64x2;
    const scalarPair = (): Ref => f.replace_lane(f.splat(this.expr(e0, "f")), 1, this.expr(e1, "f"));
    if (e0.kind === "ref" && e1.kind === "ref") {
      const [d0, d1] = [this.lookup(e0.name), this.lookup(e1.name)];
      if (samePack(d0, d1)) return m.local.get(d0.pack!.local, this.binaryen.v128);
      if (d0 === d1) return f.splat(this.expr(e0, "f"));
      return scalarPair();
    }
    if (e0.kind === "num" && e1.kind === "num" && Object.is(e0.value, e1.value)) return f.splat(this.expr(e0, "f"));
    if (e0.kind === "load" && e1.kind === "load" && e0.buffer === "a" && e1.buffer === "a" && next(e0.index, e1.index)) {
      const [ptr, offset] = this.address("a", e0.index);
      return this.layout.valueBytes === 8 ? m.v128.load(offset, 8, ptr) : f.promote_low_f32x4(m.v128.load64_zero(offset, 4, ptr));
    }
    if (e0.kind === "binary" && e1.kind === "binary" && e0.op === e1.op && (e0.op === "+" || e0.op === "-" || e0.op === "*" || e0.op === "/") && this.type(e0) === "f" && this.type(e1) === "f") {
      const [l, r] = [this.vec(e0.left, e1.left), this.vec(e0.right, e1.right)];
      return { "+": f.add, "-": f.sub, "*": f.mul, "/": f.div }[e0.op](l, r);
    }
    if (e0.kind === "unary" && e1.kind === "unary" && e0.op === "-" && e1.op === "-" && this.type(e0) === "f") return f.neg(this.vec(e0.operand, e1.operand));
    if (e0.kind === "math" && e1.kind === "math" && e0.fn === e1.fn && e0.args.length === e1.args.length) {
      const args = e0.args.map((a, i) => this.vec(a, e1.args[i]!));
      switch (e0.fn) {
        case "abs":
          return f.abs(args[0]!);
        case "sqrt":
          return f.sqrt(args[0]!);
        case "floor":
          return f.floor(args[0]!);
        case "fround":
          return f.promote_low_f32x4(m.f32x4.demote_f64x2_zero(args[0]!));
        case "max":
        case "min":
          if (args.length === 2) return e0.fn === "max" ? f.max(args[0]!, args[1]!) : f.min(args[0]!, args[1]!);
      }
    }
    return scalarPair();
  }

  private localIndex(d: Decl): number {
    return d.local;
  }

  /** What a local holds once inference is done: an unconstrained literal local is an i32. */
  private final(t: T): T {
    return t === "lit" ? "i" : t;
  }

  private wasm(t: T): number {
    return t === "f" ? this.binaryen.f64 : t === "v" || t === "m" ? this.binaryen.v128 : this.binaryen.i32;
  }

  // --- statements ---

  private stmts(list: readonly Stmt[]): Ref[] {
    this.scopes.push(new Map());
    const out: Ref[] = [];
    const targets: (Decl | null)[] = [];
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      if (this.emitting && k + 1 < list.length) {
        const vector = this.pair(s, list[k + 1]!);
        if (vector !== null) {
          out.push(...vector);
          k++;
          continue;
        }
      }
      out.push(...this.stmt(s));
      if (this.pairing) {
        targets[k] = s.kind === "let" ? this.scopes.at(-1)!.get(s.name)! : s.kind === "assign" ? this.lookup(s.name) : null;
        this.choosePair(list, k, targets);
      }
    }
    this.scopes.pop();
    return out;
  }

  private stmt(s: Stmt): Ref[] {
    const m = this.m;
    switch (s.kind) {
      case "for": {
        this.scopes.push(new Map());
        const v = this.declare("loop", s.v, "i");
        const label = `L${this.labels++}`;
        this.loops.push(`${label}c`);
        const body = this.stmts(s.body);
        this.loops.pop();
        this.scopes.pop();
        if (s.start >= s.end) return [];
        if (!this.emitting) return [];
        const i32 = m.i32;
        const next = this.set(v, i32.add(this.get(v), i32.const(s.step)));
        // the bounds are literals and the body runs at least once: test at the bottom
        return [
          this.set(v, i32.const(s.start)),
          m.loop(label, m.block(null, [m.block(`${label}c`, body), next, m.br(label, i32.lt_s(this.get(v), i32.const(s.end)))])),
        ];
      }
      case "block":
        return [m.block(null, this.stmts(s.body))];
      case "let": {
        const t = this.type(s.init);
        const d = this.declare("let", s.name, t);
        return this.emitting ? [this.set(d, this.expr(s.init, this.final(d.type)))] : [];
      }
      case "assign": {
        const d = this.lookup(s.name);
        const value: Expr = s.op === "=" ? s.value : { kind: "binary", op: s.op.slice(0, -1) as BinaryOp, left: { kind: "ref", name: s.name }, right: s.value };
        this.assignType(d, this.type(value));
        return this.emitting ? [this.set(d, this.expr(value, this.final(d.type)))] : [];
      }
      case "setField": {
        const d = this.fields.get(s.name)!;
        this.assignType(d, this.type(s.value));
        return this.emitting ? [this.set(d, this.expr(s.value, this.final(d.type)))] : [];
      }
      case "store": {
        const value: Expr = s.op === "=" ? s.value : { kind: "binary", op: s.op.slice(0, -1) as BinaryOp, left: { kind: "load", buffer: s.buffer, index: s.index, lanes: s.lanes }, right: s.value };
        if (!this.emitting) {
          this.type(value);
          return [];
        }
        const [ptr, offset] = this.address(s.buffer as "a" | "ix", s.index);
        if (s.lanes !== 1) return [m.v128.store(offset, 4, ptr, this.expr(value, "v"))];
        // one lane of a vector, stored as it is (no f64 round trip)
        const l = laneStore(s);
        if (l) return [m.v128.store32_lane(offset, 4, l.lane, ptr, this.expr(l.vector, "v"))];
        if (s.buffer === "ix") return [m.i32.store(offset, 4, ptr, this.expr(value, "i"))];
        const v = this.expr(value, "f");
        return [this.layout.valueBytes === 4 ? m.f32.store(offset, 4, ptr, m.f32.demote(v)) : m.f64.store(offset, 8, ptr, v)];
      }
      case "if": {
        const cond = this.emitting ? this.cond(s.cond) : (this.type(s.cond), 0);
        const then = this.stmts(s.then);
        const otherwise = this.stmts(s.otherwise);
        if (!this.emitting) return [];
        return [m.if(cond, m.block(null, then), otherwise.length > 0 ? m.block(null, otherwise) : undefined)];
      }
      case "continue": {
        const label = this.loops.at(-1);
        if (label === undefined) throw new Error("internal: continue outside a loop in a kernel");
        return this.emitting ? [m.br(label)] : [];
      }
      case "return": {
        if (s.value === null) {
          if (!this.emitting) return [];
          return [this.written !== null ? m.return(this.get(this.fields.get(this.written)!)) : m.return()];
        }
        const t = this.type(s.value);
        this.returnType = this.returnType === null ? (t === "lit" ? "i" : t) : join(this.returnType, t);
        return this.emitting ? [m.return(this.expr(s.value, this.final(this.returnType)))] : [];
      }
      case "comment":
        return [];
      case "invoke":
        throw new Unsupported();
    }
  }

  // --- expressions ---

  /** The type an expression has by itself. */
  private type(e: Expr): T {
    switch (e.kind) {
      case "num":
        return isLiteralInt(e.value) ? "lit" : "f";
      case "ref": {
        // once inference is done, a local no assignment made wider is an integer
        const t = this.lookup(e.name).type;
        return this.emitting ? this.final(t) : t;
      }
      case "base":
        return "lit";
      case "field":
        return this.fields.get(e.name)!.type;
      case "load":
        this.type(e.index);
        if (e.lanes !== 1) return this.vectorLoad(e.buffer);
        return e.buffer === "ix" ? "i" : "f";
      case "binary": {
        const l = this.type(e.left);
        const r = this.type(e.right);
        if (l === "m" || r === "m") {
          if ((e.op === "&&" || e.op === "||") && l === r) return "m";
          throw new Error(`internal: ${e.op} of a lane mask`);
        }
        if (l === "v" || r === "v") {
          if (COMPARE.has(e.op)) return "m";
          if (!(e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/")) throw new Error(`internal: ${e.op} of vectors`);
        }
        if (COMPARE.has(e.op) || e.op === "&&" || e.op === "||") return "b";
        if (INT_OPS.has(e.op)) return "i";
        if (e.op === ">>>") return "u";
        if (e.op === "/") return join(l, r) === "v" ? "v" : "f";
        const t = join(l, r);
        // unsigned arithmetic leaves the 32-bit range: JavaScript computes it as a float
        return t === "u" || t === "b" ? (t === "b" ? "i" : "f") : t;
      }
      case "unary": {
        const t = this.type(e.operand);
        if ((t === "v" || t === "m") && e.op === "!") throw new Error("internal: ! of a vector");
        if (t === "m") throw new Error("internal: - of a lane mask");
        if (e.op === "!") return "b";
        if (t === "lit" && e.operand.kind === "num" && e.operand.value === 0) return "f";
        return t === "u" ? "f" : t === "b" ? "i" : t;
      }
      case "math": {
        const ts = e.args.map((a) => this.type(a));
        if (ts.includes("v")) {
          if (!VECTOR_MATH.has(e.fn)) throw new Error(`internal: Math.${e.fn} of a vector`);
          return "v";
        }
        return e.fn === "imul" ? "i" : "f";
      }
      case "call":
        throw new Unsupported();
      case "select": {
        const c = this.type(e.cond);
        const t = join(this.type(e.then), this.type(e.otherwise));
        // lane by lane under a mask; a vector under a scalar condition is not taken
        if (c === "m") return "v";
        if (t === "v") throw new Error("internal: a select of vectors under a scalar condition");
        return t === "b" ? "i" : t;
      }
      case "splat":
        if (e.lanes !== 4 || this.layout.valueBytes !== 4) throw new Error("internal: vectors are f32x4, in f32 builds");
        if (this.type(e.value) === "v") throw new Error("internal: a splat of a vector");
        return "v";
      case "lane":
      case "hsum":
        if (this.type(e.vector) !== "v") throw new Error(`internal: ${e.kind} of a scalar`);
        return "f";
    }
  }

  /** The type of a lanes-4 load: an f32x4 of the arena (the index arena holds no vectors). */
  private vectorLoad(buffer: Buffer): T {
    if (buffer !== "a" || this.layout.valueBytes !== 4) throw new Error("internal: vectors are f32x4 loads of an f32 arena");
    return "v";
  }

  /** The expression as a value of type `want` ("i": an i32, "f": an f64). */
  private expr(e: Expr, want: T): Ref {
    let have = this.type(e);
    if (have === "lit") {
      const v = evaluate(e);
      if (v !== null) return want === "f" ? this.m.f64.const(v) : want === "v" ? this.m.f32x4.splat(this.m.f32.const(v)) : this.m.i32.const(v);
      have = "i";
    }
    return this.convert(this.natural(e, have), have, want);
  }


  private convert(x: Ref, have: T, want: T): Ref {
    const m = this.m;
    if (have === "m" || want === "m") {
      if (have !== want) throw new Error("internal: a lane mask where a value is wanted, or a value for a mask");
      return x;
    }
    if (have === "v" || want === "v") {
      if (have === want) return x;
      if (have === "v") throw new Error("internal: a vector where a scalar is wanted");
      // a scalar operand of a vector operation: its splat
      return m.f32x4.splat(have === "f" ? m.f32.demote(x) : have === "u" ? m.f32.convert_u.i32(x) : m.f32.convert_s.i32(x));
    }
    if (want === "f") {
      if (have === "f") return x;
      return have === "u" ? m.f64.convert_u.i32(x) : m.f64.convert_s.i32(x);
    }
    if (have === "f") return m.i32.trunc_s_sat.f64(x);
    return x;
  }

  /** A condition: an i32, nonzero for true (a float is true unless 0). */
  private cond(e: Expr): Ref {
    const t = this.type(e);
    if (t === "v" || t === "m") throw new Error("internal: a vector as a condition");
    if (t === "f") return this.m.f64.ne(this.expr(e, "f"), this.m.f64.const(0));
    return this.expr(e, "i");
  }

  /** The expression computed in its own type `t` (never "lit"). */
  private natural(e: Expr, t: T): Ref {
    const m = this.m;
    switch (e.kind) {
      case "num":
        return t === "f" ? m.f64.const(e.value) : m.i32.const(e.value);
      case "ref":
        return this.get(this.lookup(e.name));
      case "field":
        return this.get(this.fields.get(e.name)!);
      case "base":
        return m.i32.const(e.region.offset);
      case "load": {
        const [ptr, offset] = this.address(e.buffer as "a" | "ix", e.index);
        if (e.lanes !== 1) return m.v128.load(offset, 4, ptr);
        if (e.buffer === "ix") return m.i32.load(offset, 4, ptr);
        return this.layout.valueBytes === 4 ? m.f64.promote(m.f32.load(offset, 4, ptr)) : m.f64.load(offset, 8, ptr);
      }
      case "binary":
        return this.binary(e.op, e.left, e.right, t);
      case "unary":
        if (e.op === "!") return m.i32.eqz(this.cond(e.operand));
        if (t === "v") return m.f32x4.neg(this.expr(e.operand, "v"));
        return t === "f" ? m.f64.neg(this.expr(e.operand, "f")) : m.i32.sub(m.i32.const(0), this.expr(e.operand, "i"));
      case "math":
        return t === "v" ? this.vectorMath(e.fn, e.args) : this.math(e.fn, e.args);
      case "call":
        throw new Unsupported();
      case "select": {
        if (t === "v") return m.v128.bitselect(this.expr(e.then, "v"), this.expr(e.otherwise, "v"), this.expr(e.cond, "m"));
        const w = t === "f" ? "f" : "i";
        return m.select(this.cond(e.cond), this.expr(e.then, w), this.expr(e.otherwise, w));
      }
      case "splat":
        return this.splat(e.value);
      case "lane":
        return m.f64.promote(m.f32x4.extract_lane(this.expr(e.vector, "v"), e.lane));
      case "hsum": {
        // (v0 + v1) + (v2 + v3) by two shuffles: v + [v1, v0, v3, v2], then that plus its lanes
        // 2 and 3 moved down; each operand used twice is kept in a v128 local
        const v128 = this.binaryen.v128;
        const [v, s] = [this.totalScalars() + this.vectors++, this.totalScalars() + this.vectors++];
        const swap = (local: number, lanes: readonly number[]): Ref => m.i8x16.shuffle(m.local.get(local, v128), m.local.get(local, v128), lanes.flatMap((l) => [0, 1, 2, 3].map((k) => 4 * l + k)));
        return m.block(null, [
          m.local.set(v, this.expr(e.vector, "v")),
          m.local.set(s, m.f32x4.add(m.local.get(v, v128), swap(v, [1, 0, 3, 2]))),
          m.f64.promote(m.f32x4.extract_lane(m.f32x4.add(m.local.get(s, v128), swap(s, [2, 3, 0, 1])), 0)),
        ], this.binaryen.f64);
      }
    }
  }

  /** The splat of a scalar: an arena element is loaded straight into the four lanes. */
  private splat(value: Expr): Ref {
    if (value.kind === "load" && value.buffer === "a" && value.lanes === 1) {
      const [ptr, offset] = this.address("a", value.index);
      return this.m.v128.load32_splat(offset, 4, ptr);
    }
    return this.convert(this.expr(value, "f"), "f", "v");
  }

  /** A math function of vectors, lane by lane (fround is the identity on f32 lanes). */
  private vectorMath(fn: MathFn, args: readonly Expr[]): Ref {
    const f = this.m.f32x4;
    const v = args.map((a) => this.expr(a, "v"));
    switch (fn) {
      case "abs":
        return f.abs(v[0]!);
      case "sqrt":
        return f.sqrt(v[0]!);
      case "floor":
        return f.floor(v[0]!);
      case "fround":
        return v[0]!;
      case "max":
      case "min":
        return v.reduce((x, y) => (fn === "max" ? f.max(x, y) : f.min(x, y)));
      default:
        throw new Error(`internal: Math.${fn} of a vector`);
    }
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, t: T): Ref {
    const m = this.m;
    if (t === "m") return this.mask(op, left, right);
    if (op === "&&") return m.if(this.cond(left), m.i32.ne(this.cond(right), m.i32.const(0)), m.i32.const(0));
    if (op === "||") return m.if(this.cond(left), m.i32.const(1), m.i32.ne(this.cond(right), m.i32.const(0)));
    if (op === "^") return m.i32.xor(this.expr(left, "i"), this.expr(right, "i"));
    if (op === "|") return m.i32.or(this.expr(left, "i"), this.expr(right, "i"));
    if (op === "<<") return m.i32.shl(this.expr(left, "i"), this.expr(right, "i"));
    if (op === ">>>") return m.i32.shr_u(this.expr(left, "i"), this.expr(right, "i"));
    if (COMPARE.has(op)) {
      const lt = this.type(left);
      const rt = this.type(right);
      const both = join(lt, rt);
      if (both === "f" || (both === "u" && lt !== rt && lt !== "lit" && rt !== "lit")) {
        const f = m.f64;
        const [l, r] = [this.expr(left, "f"), this.expr(right, "f")];
        return { "<": f.lt, "<=": f.le, ">": f.gt, ">=": f.ge, "===": f.eq, "!==": f.ne }[op as "<"](l, r);
      }
      const i = m.i32;
      const [l, r] = [this.expr(left, "i"), this.expr(right, "i")];
      if (both === "u") return { "<": i.lt_u, "<=": i.le_u, ">": i.gt_u, ">=": i.ge_u, "===": i.eq, "!==": i.ne }[op as "<"](l, r);
      return { "<": i.lt_s, "<=": i.le_s, ">": i.gt_s, ">=": i.ge_s, "===": i.eq, "!==": i.ne }[op as "<"](l, r);
    }
    if (t === "f") {
      const [l, r] = [this.expr(left, "f"), this.expr(right, "f")];
      return { "+": m.f64.add, "-": m.f64.sub, "*": m.f64.mul, "/": m.f64.div }[op as "+"](l, r);
    }
    if (t === "v") {
      const [l, r] = [this.expr(left, "v"), this.expr(right, "v")];
      return { "+": m.f32x4.add, "-": m.f32x4.sub, "*": m.f32x4.mul, "/": m.f32x4.div }[op as "+"](l, r);
    }
    const [l, r] = [this.expr(left, "i"), this.expr(right, "i")];
    return { "+": m.i32.add, "-": m.i32.sub, "*": m.i32.mul }[op as "+"](l, r);
  }

  /** A lane mask: a comparison of f32x4 vectors (a scalar operand splatted), or && || of masks. */
  private mask(op: BinaryOp, left: Expr, right: Expr): Ref {
    const m = this.m;
    if (op === "&&" || op === "||") return (op === "&&" ? m.v128.and : m.v128.or)(this.expr(left, "m"), this.expr(right, "m"));
    const f = m.f32x4;
    const [l, r] = [this.expr(left, "v"), this.expr(right, "v")];
    return { "<": f.lt, "<=": f.le, ">": f.gt, ">=": f.ge, "===": f.eq, "!==": f.ne }[op as "<"](l, r);
  }

  private math(fn: MathFn, args: readonly Expr[]): Ref {
    const m = this.m;
    const f = args.map((a) => (fn === "imul" ? this.expr(a, "i") : this.expr(a, "f")));
    switch (fn) {
      case "abs":
        return m.f64.abs(f[0]!);
      case "sqrt":
        return m.f64.sqrt(f[0]!);
      case "floor":
        return m.f64.floor(f[0]!);
      case "max":
      case "min":
        if (f.length === 0) throw new Unsupported();
        return f.reduce((x, y) => (fn === "max" ? m.f64.max(x, y) : m.f64.min(x, y)));
      case "fround":
        return m.f64.promote(m.f32.demote(f[0]!));
      case "imul":
        return m.i32.mul(f[0]!, f[1]!);
      default:
        this.imported.add(fn);
        return m.call(`Math.${fn}`, f, this.binaryen.f64);
    }
  }

  /** The byte address of buffer[index] as a pointer and a constant offset (the literal term of
   *  a folded index, when it is not negative). */
  private address(buffer: "a" | "ix", index: Expr): [Ref, number] {
    const m = this.m;
    const bytes = buffer === "a" ? this.layout.valueBytes : 4;
    const moves = buffer === "ix" && this.layout.indexGlobal !== undefined;
    const base = buffer === "a" || moves ? 0 : this.layout.indexByte;
    const scaled = (e: Expr): Ref => {
      const t = this.type(e);
      const v = evaluate(e);
      if (t === "lit" && v !== null) return m.i32.const(v * bytes);
      return m.i32.shl(this.expr(e, "i"), m.i32.const(bytes === 4 ? 2 : 3));
    };
    const [ptr, offset] = this.scaledAddress(index, scaled, bytes);
    return moves ? [m.i32.add(m.global.get(this.layout.indexGlobal!, this.binaryen.i32), ptr), offset] : [ptr, base + offset];
  }

  /** buffer[index]'s address relative to the buffer's base: a pointer and a constant offset. */
  private scaledAddress(index: Expr, scaled: (e: Expr) => Ref, bytes: number): [Ref, number] {
    if (index.kind === "binary" && index.op === "+" && index.right.kind === "num" && isLiteralInt(index.right.value) && index.right.value >= 0 && this.type(index.left) !== "f") {
      return [scaled(index.left), index.right.value * bytes];
    }
    const v = evaluate(index);
    if (v !== null && v >= 0) return [this.m.i32.const(0), v * bytes];
    return [scaled(index), 0];
  }
}

/** An integer expression of literals, evaluated; null if it has anything else. */
function evaluate(e: Expr): number | null {
  if (e.kind === "num") return e.value;
  if (e.kind === "base") return e.region.offset;
  if (e.kind === "unary" && e.op === "-") {
    const v = evaluate(e.operand);
    return v === null ? null : -v;
  }
  if (e.kind === "binary") {
    const l = evaluate(e.left);
    const r = evaluate(e.right);
    if (l === null || r === null) return null;
    if (e.op === "+") return l + r;
    if (e.op === "-") return l - r;
    if (e.op === "*") return l * r;
  }
  return null;
}

/** `e` reads the variable `name`. */
const mentions = (e: Expr, name: string): boolean => someExpr(e, (x) => x.kind === "ref" && x.name === name);

/** `e` reads the arena (so a store pair could read what its first store wrote). */
const hasLoad = (e: Expr): boolean => someExpr(e, (x) => x.kind === "load");

/** The lane expression a plain store `a[i] = lane(v, e)` stores, or null. Lanes exist in f32
 *  builds only, so the stored float is the lane's f32 unchanged. */
function laneStore(s: Stmt): Extract<Expr, { kind: "lane" }> | null {
  return s.kind === "store" && s.buffer === "a" && s.op === "=" && s.lanes === 1 && s.value.kind === "lane" ? s.value : null;
}

const sameRef = (a: Expr, b: Expr): boolean => a.kind === "ref" && b.kind === "ref" && a.name === b.name;

const samePack = (d0: Decl, d1: Decl): boolean => d0.pack !== undefined && d1.pack !== undefined && d0.pack.local === d1.pack.local && d0.pack.lane === 0 && d1.pack.lane === 1;

/** i1 is i0 + 1, as the fold pass writes indices: `x + c` and `x + (c + 1)`, `x` and `x + 1`, or
 *  two literals. */
function next(i0: Expr, i1: Expr): boolean {
  const split = (e: Expr): [Expr | null, number] => {
    if (e.kind === "num") return [null, e.value];
    if (e.kind === "binary" && e.op === "+" && e.right.kind === "num") return [e.left, e.right.value];
    return [e, 0];
  };
  const [x0, c0] = split(i0);
  const [x1, c1] = split(i1);
  return c1 === c0 + 1 && (x0 === null ? x1 === null : x1 !== null && sameExpr(x0, x1));
}

function sameExpr(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
