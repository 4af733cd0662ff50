// The kernel IR: what an op's forward and backward loops are, as a tree. Every loop bound is a
// literal; memory is reached only through loads and stores into named buffers at index
// expressions (affine in the loop variables, folded by passes/fold.ts); arena regions stay
// named until a target resolves them to numbers (the readable build keeps the names). Values
// carry a lane count: scalar (lanes 1), which every printer takes, or 128-bit f32x4 vectors
// (lanes 4), which only the wasm printer takes (the TypeScript printer refuses them).

/** A named stretch of one of the model's buffers, placed by the memory plan. */
export interface Region {
  /** a valid identifier, unique within a model (conv1Out, dense2Kernel, ...) */
  readonly name: string;
  readonly buffer: ArenaBuffer;
  /** element offset inside the buffer */
  readonly offset: number;
  readonly size: number;
}

/** The model's two buffers: the arena of values (`a`) and the integer index arena (`ix`). */
export type ArenaBuffer = "a" | "ix";

/** Where a load or store goes: an arena buffer, or an array argument of the method (input
 *  samples, targets), named by its parameter. */
export type Buffer = ArenaBuffer | { readonly arg: string };

export type BinaryOp = "+" | "-" | "*" | "/" | "<" | "<=" | ">" | ">=" | "===" | "!==" | "&&" | "||" | "^" | "<<" | ">>>" | "|";
export type MathFn = "exp" | "log" | "log1p" | "tanh" | "abs" | "sqrt" | "max" | "min" | "pow" | "floor" | "cos" | "fround" | "imul";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "^=";

export type Expr =
  | { readonly kind: "num"; readonly value: number }
  /** a local, a loop variable or a method parameter */
  | { readonly kind: "ref"; readonly name: string }
  /** the element offset of a region's first element (a literal once resolved) */
  | { readonly kind: "base"; readonly region: Region }
  /** a field of the model instance (this.learningRate, this.rngWork) */
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "load"; readonly buffer: Buffer; readonly index: Expr; readonly lanes: number }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: "unary"; readonly op: "-" | "!"; readonly operand: Expr }
  | { readonly kind: "math"; readonly fn: MathFn; readonly args: readonly Expr[] }
  /** a call of a local function (the initialiser's generator) */
  | { readonly kind: "call"; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly kind: "select"; readonly cond: Expr; readonly then: Expr; readonly otherwise: Expr }
  /** a vector of `lanes` copies of a scalar. Vector values (lanes 4: f32x4, the wasm target's f32
   *  builds only) come from splats and lanes-4 loads; + - * / of vectors, their negation and the
   *  math functions abs, sqrt, floor, max and min work lane by lane, a scalar operand of one
   *  read as its splat. A comparison of vectors is a lane mask, which && and || combine and a
   *  select's condition takes (lane by lane: v128.bitselect); masks are nothing else */
  | { readonly kind: "splat"; readonly value: Expr; readonly lanes: number }
  /** lane `lane` of a vector, as a scalar */
  | { readonly kind: "lane"; readonly vector: Expr; readonly lane: number }
  /** the sum of a vector's lanes, as a scalar: (v0 + v1) + (v2 + v3) */
  | { readonly kind: "hsum"; readonly vector: Expr };

export type Stmt =
  /** for (let v = start; v < end; v += step): literal bounds; `unroll` asks the unroll pass
   *  to replace the loop by one copy of its body per value when it is small enough */
  | { readonly kind: "for"; readonly v: string; readonly start: number; readonly end: number; readonly step: number; readonly body: readonly Stmt[]; readonly unroll?: boolean; readonly note?: string }
  | { readonly kind: "block"; readonly body: readonly Stmt[] }
  | { readonly kind: "let"; readonly name: string; readonly init: Expr; readonly mutable: boolean }
  | { readonly kind: "assign"; readonly name: string; readonly op: AssignOp; readonly value: Expr }
  | { readonly kind: "setField"; readonly name: string; readonly value: Expr }
  /** buffer[index] op= value; with lanes 4, the value is a vector stored at index .. index + 3 */
  | { readonly kind: "store"; readonly buffer: Buffer; readonly index: Expr; readonly op: AssignOp; readonly value: Expr; readonly lanes: number }
  | { readonly kind: "if"; readonly cond: Expr; readonly then: readonly Stmt[]; readonly otherwise: readonly Stmt[] }
  | { readonly kind: "continue" }
  | { readonly kind: "return"; readonly value: Expr | null }
  /** this.method(args): the passes call one method per layer */
  | { readonly kind: "invoke"; readonly method: string; readonly args: readonly Expr[] }
  /** a line comment above what follows; `readers` marks the formula of a loop nest, printed in
   *  the readable build only */
  | { readonly kind: "comment"; readonly text: string; readonly readers: boolean };

/** A kernel: the statements of one method body. */
export type Kernel = readonly Stmt[];
