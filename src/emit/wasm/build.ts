// The WebAssembly half of a `--target wasm` model: every kernel the wasm printer takes becomes
// an exported function of one module per model, and its TypeScript method a call into the
// instance's exports. The arena is the module's linear memory (values from byte 0, the index
// arena after them), fixed in size by the memory plan; a model that trains layer-major grows it
// with the batch (reserve() in src/emit/members/train.ts), so its index arena's address is the
// global INDEX_BASE, which reserve() moves past the grown value arena.
import type binaryenModule from "binaryen";
import type { Graph } from "../../ir/graph.js";
import type { MathFn, Stmt } from "../../kernel/ir.js";
import { IMPORTED, printWasm, type WasmLayout } from "../../kernel/print/wasm.js";

export type Binaryen = typeof binaryenModule;

export const PAGE = 65536;
/** Bytes the memory keeps after its last region: a partial f32x4 (the last n % 4 filters or
 *  units, src/emit/kernels/store-simd.ts) loads up to 3 floats past its live ones, which past the
 *  last region would otherwise trap at the memory's end. Those lanes are never stored. */
export const SLACK = 16;
/** wasm32's largest memory (4 GiB), in pages: the bound of a growable one */
const MAX_PAGES = 65536;
/** The mutable global holding a growable module's index-arena byte address, and the exported
 *  function that sets it (MVP wasm: no exported mutable globals needed). */
const INDEX_BASE = "indexBase";
export const SET_INDEX_BASE = "setIndexBase";

export interface WasmModule {
  readonly bytes: Uint8Array;
  /** the math functions the module imports, from `Math` */
  readonly imports: readonly MathFn[];
  /** the TypeScript type of the instance's exports */
  readonly exportsType: string;
  /** byte address of the index arena (at the first batch, for a growable memory) */
  readonly indexByte: number;
  /** the memory grows with the batch (a layer-major model), up to wasm32's 4 GiB */
  readonly growable: boolean;
}

/** binaryen's validator refused a module: a bug in the printer, reported as CNN9090. */
export class WasmInvalidError extends Error {}

export class WasmBuild {
  private readonly m: binaryenModule.Module;
  private readonly imported = new Set<MathFn>();
  private readonly signatures: string[] = [];
  private count = 0;
  readonly layout: WasmLayout;
  private readonly pages: number;
  private readonly growable: boolean;

  constructor(
    private readonly binaryen: Binaryen,
    graph: Graph,
  ) {
    const plan = graph.plan;
    const valueBytes = plan.arena === "Float64Array" ? 8 : 4;
    // the index arena starts on a 16-byte boundary (a v128 never straddles the two)
    const indexByte = Math.ceil((plan.arenaSize * valueBytes) / 16) * 16;
    this.growable = plan.sample !== undefined;
    const movingIndex = this.growable && plan.indexSize > 0;
    this.layout = movingIndex ? { valueBytes, indexByte, indexGlobal: INDEX_BASE } : { valueBytes, indexByte };
    this.pages = Math.max(1, Math.ceil((indexByte + plan.indexSize * 4 + SLACK) / PAGE));
    this.m = new binaryen.Module();
    this.m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory);
    // fixed size unless the batch grows it: the views on it then stay valid for the instance's life
    this.m.setMemory(this.pages, this.growable ? MAX_PAGES : this.pages, "memory");
    if (movingIndex) this.addIndexBase(indexByte);
  }

  /** The index arena's base as a global, and its setter: one global.get per index access,
   *  in layer-major models only. */
  private addIndexBase(indexByte: number): void {
    const { binaryen, m } = this;
    m.addGlobal(INDEX_BASE, binaryen.i32, true, m.i32.const(indexByte));
    m.addFunction(SET_INDEX_BASE, binaryen.createType([binaryen.i32]), binaryen.none, [], m.global.set(INDEX_BASE, m.local.get(0, binaryen.i32)));
    m.addFunctionExport(SET_INDEX_BASE, SET_INDEX_BASE);
    this.signatures.push(`readonly ${SET_INDEX_BASE}: (byte: number) => void`);
  }

  /** The TypeScript statement that calls the kernel's wasm function, or null when the printer
   *  does not take it (it then stays TypeScript). `tree` is scheduled; `ints` as for schedule(). */
  add(tree: readonly Stmt[], ints: readonly string[]): string | null {
    const name = `k${this.count}`;
    const k = printWasm(this.binaryen, this.m, name, tree, ints, this.layout, this.imported);
    if (k === null) return null;
    this.count++;
    const args = k.params.map((p) => (p.field ? `this.${p.name}` : p.name));
    // a float parameter may be a boolean flag (`training`): wasm converts it with ToNumber
    const params = k.params.map((p) => `${p.name}: ${p.type === "i32" || p.field ? "number" : "number | boolean"}`);
    this.signatures.push(`readonly ${name}: (${params.join(", ")}) => ${k.writes !== null || k.returns ? "number" : "void"}`);
    const call = `this.k.${name}(${args.join(", ")})`;
    if (k.writes !== null) return `this.${k.writes} = ${call};`;
    return k.returns ? `return ${call};` : `${call};`;
  }

  /** Validates and encodes the module. binaryen's optimizer is not run: V8's optimizing tier
   *  already does its local work on our kernels (common subexpressions, locals to registers),
   *  so -O3 left the kernels' speed unchanged in paired rounds on W1 and CIFAR, while it was
   *  0.8-1.3 s of a first compile (its own code still cold) and half of its CPU time
   *  (bench/NOTES.md, "The wasm target's first compile() without binaryen's optimizer"). */
  finish(): WasmModule {
    const { binaryen, m } = this;
    const imports = IMPORTED.filter((f) => this.imported.has(f));
    for (const f of imports) {
      const arity = f === "pow" ? 2 : 1;
      m.addFunctionImport(`Math.${f}`, "Math", f, binaryen.createType(Array(arity).fill(binaryen.f64)), binaryen.f64);
    }
    if (!m.validate()) throw new WasmInvalidError("the wasm module does not validate");
    const bytes = m.emitBinary();
    m.dispose();
    return {
      bytes,
      imports,
      exportsType: `{ readonly memory: { readonly buffer: ArrayBuffer${this.growable ? "; grow(pages: number): number" : ""} }; ${this.signatures.join("; ")} }`,
      indexByte: this.layout.indexByte,
      growable: this.growable,
    };
  }
}
