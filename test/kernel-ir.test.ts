// The back end works on trees: no regular expression over generated text anywhere in it, and
// the kernel IR's passes do what they say.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { b, region } from "../src/kernel/build.js";
import type { Stmt } from "../src/kernel/ir.js";
import { fold } from "../src/kernel/passes/fold.js";
import { roundStores } from "../src/kernel/passes/round.js";
import { unroll } from "../src/kernel/passes/unroll.js";
import { schedule } from "../src/kernel/pipeline.js";
import { expr, stmts } from "../src/kernel/print/ts.js";

const root = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Regular-expression literals and RegExp constructions in a TypeScript file. */
function regexesIn(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText());
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === "RegExp") found.push(node.getText());
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("the back end", () => {
  it("applies no regular expression anywhere (src/ir, src/kernel, src/emit, src/index.ts)", () => {
    const files = [...sources(join(root, "src", "ir")), ...sources(join(root, "src", "kernel")), ...sources(join(root, "src", "emit")), join(root, "src", "index.ts")];
    expect(files.length).toBeGreaterThan(30);
    const hits = files.flatMap((f) => regexesIn(f).map((r) => `${f.slice(root.length + 1)}: ${r}`));
    expect(hits).toEqual([]);
  });

  it("the scan finds regular expressions where there are some (the front end has a few)", () => {
    expect(sources(join(root, "src", "syntax")).flatMap(regexesIn).length + sources(join(root, "src", "cli")).flatMap(regexesIn).length).toBeGreaterThan(0);
  });
});

describe("kernel IR passes", () => {
  const x = region("xOut", 100, 20);
  it("fold puts integer indices in one canonical form with one literal last", () => {
    const k = fold([b.for("i", 4, (i) => [b.put(x, b.add(b.mul(b.add(i, 1), 3), 2), 0)])]);
    expect(stmts(schedule(k, { readable: false, roundStores: false }))).toContain("a[i * 3 + 105] = 0;");
  });

  it("fold never regroups a float sum", () => {
    const k = fold([b.let("s", b.add(b.add(b.ref("u"), 1.5), 2.5))]);
    expect(stmts(k)).toBe("let s = u + 1.5 + 2.5;");
  });

  it("fold substitutes a literal const and drops it", () => {
    const k = fold([b.const("kb", 8), b.let("s", b.load("a", b.add(b.ref("kb"), 2)))]);
    expect(stmts(k)).toBe("let s = a[10]!;");
  });

  it("unroll replaces a marked loop by one copy per value, and leaves unmarked loops", () => {
    const body = (i: ReturnType<typeof b.ref>): Stmt[] => [b.put(x, i, 1, "+=")];
    const k = fold(unroll([b.for("i", 3, body, { unroll: true }), b.for("j", 3, body)]));
    const text = stmts(schedule(k, { readable: false, roundStores: false }));
    expect(text).toContain("a[100]! += 1;\na[101]! += 1;\na[102]! += 1;");
    expect(text).toContain("for (let j = 0; j < 3; j++)");
  });

  it("rounds every arena store, but not exact values or index stores", () => {
    const k = roundStores([
      b.store("a", 1, b.ref("v"), "+="),
      b.store("a", 2, 0),
      b.store("a", 3, b.load("a", 4)),
      b.store("a", 5, 0.1),
      b.store("ix", 6, b.ref("j")),
    ]);
    expect(stmts(k).split("\n")).toEqual([
      "a[1] = Math.fround(a[1]! + v);",
      "a[2] = 0;",
      "a[3] = a[4]!;",
      "a[5] = Math.fround(0.1);",
      "arg[6] = j;",
    ]);
  });

  it("prints parentheses exactly where the tree needs them", () => {
    expect(expr(b.sub(b.ref("a"), b.sub(b.ref("b"), b.ref("c"))))).toBe("a - (b - c)");
    expect(expr(b.add(b.ref("a"), b.add(b.ref("b"), b.ref("c"))))).toBe("a + (b + c)");
    expect(expr(b.mul(b.add(b.ref("a"), 1), b.ref("b")))).toBe("(a + 1) * b");
    expect(expr(b.neg(b.neg(b.ref("a"))))).toBe("-(-a)");
    expect(expr(b.neg(-1))).toBe("-(-1)");
    expect(expr(b.select(b.lt(b.ref("x"), 0), 0, b.ref("x")))).toBe("x < 0 ? 0 : x");
  });

  it("keeps region names in the readable schedule and resolves them in the tuned one", () => {
    const k = [b.put(x, 3, 1)];
    expect(stmts(schedule(k, { readable: true, roundStores: false }))).toBe("a[xOut + 3] = 1;");
    expect(stmts(schedule(k, { readable: false, roundStores: false }))).toBe("a[103] = 1;");
  });
});

// f32x4 vectors (lanes 4): the wasm printer computes them in f32 lane by lane; the TypeScript
// printer, whose target never gets them, refuses them.
describe("kernel IR vectors", () => {
  const kernel: Stmt[] = [
    b.const("w", b.load("a", 0, 4)),
    b.let("s", b.splat(b.load("a", 8))),
    b.assign("s", b.mul(b.ref("w"), b.splat(b.load("a", 9))), "+="),
    b.store("a", 4, b.math("max", b.ref("s"), 0), "=", 4),
    b.store("a", 12, b.hsum(b.ref("w"))),
    b.store("a", 13, b.lane(b.ref("w"), 2)),
    b.store("a", 14, b.mul(b.add(b.ref("w"), b.math("abs", b.ref("w"))), 0.5), "+=", 4),
  ];

  it("the wasm printer prints them as f32x4, computing in f32", async () => {
    const binaryen = (await import("binaryen")).default;
    const { printWasm } = await import("../src/kernel/print/wasm.js");
    const m = new binaryen.Module();
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.NontrappingFPToInt);
    m.setMemory(1, 1, "memory");
    const k = printWasm(binaryen, m, "k", schedule(kernel, { readable: false, roundStores: false }), [], { valueBytes: 4, indexByte: 256 }, new Set());
    expect(k).not.toBeNull();
    expect(m.validate()).toBeTruthy();
    const text = m.emitText();
    for (const op of ["v128.load32_splat", "f32x4.mul", "f32x4.add", "f32x4.max", "v128.store", "f32x4.extract_lane", "f32x4.abs"]) expect(text).toContain(op);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())));
    m.dispose();
    const a = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 32);
    const w = [0.1, -2.5, 3, -0.3];
    a.set(w, 0);
    a.set([0.7, 1.3], 8);
    a.set([1, 1, 1, 1], 14);
    (instance.exports.k as () => void)();
    const f = Math.fround;
    expect(Array.from(a.slice(4, 8))).toEqual(w.map((v) => Math.max(f(f(0.7) + f(f(v) * f(1.3))), 0)));
    expect(a[12]).toBe(f(f(f(w[0]!) + f(w[1]!)) + f(f(w[2]!) + f(w[3]!))));
    expect(a[13]).toBe(3);
    expect(Array.from(a.slice(14, 18))).toEqual(w.map((v) => f(1 + Math.max(f(v), 0))));
  });

  it("fold and unroll reach inside splats, lanes and sums", () => {
    const k = fold(unroll([b.for("i", 2, (i) => [b.store("a", b.mul(i, 4), b.splat(b.load("a", b.add(i, 8))), "=", 4)], { unroll: true })]));
    expect(JSON.stringify(k)).toContain('{"kind":"load","buffer":"a","index":{"kind":"num","value":9},"lanes":1}');
    expect(JSON.stringify(fold([b.const("j", 3), b.store("a", 0, b.hsum(b.load("a", b.ref("j"), 4)))]))).toContain('"value":3');
  });

  it("the TypeScript printer refuses them", () => {
    expect(() => stmts([kernel[0]!])).toThrow("no vector lanes");
    expect(() => stmts([b.let("s", b.splat(1))])).toThrow("no vector lanes");
    expect(() => stmts([b.store("a", 4, b.ref("s"), "=", 4)])).toThrow("no vector lanes");
    expect(() => expr(b.hsum(b.ref("w")))).toThrow("no vector lanes");
  });

  // Lane masks: comparisons of vectors, combined by && and ||, taken by select lane by lane.
  it("the wasm printer takes lane masks as a select's condition (v128.bitselect), and nothing else", async () => {
    const binaryen = (await import("binaryen")).default;
    const { printWasm } = await import("../src/kernel/print/wasm.js");
    const build = (k: Stmt[]) => {
      const m = new binaryen.Module();
      m.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128 | binaryen.Features.NontrappingFPToInt);
      m.setMemory(1, 1, "memory");
      return { m, k: printWasm(binaryen, m, "k", schedule(k, { readable: false, roundStores: false }), [], { valueBytes: 4, indexByte: 256 }, new Set()) };
    };
    const v = b.load("a", 0, 4);
    const w = b.load("a", 4, 4);
    const { m, k } = build([
      b.const("k", b.or(b.gt(v, w), b.lt(w, 0))),
      b.store("a", 8, b.select(b.ref("k"), v, w), "=", 4),
      b.store("a", 12, b.select(b.and(b.ge(v, 1), b.ne(w, 2)), b.splat(7), 0), "=", 4),
    ]);
    expect(k).not.toBeNull();
    expect(m.validate()).toBeTruthy();
    for (const op of ["f32x4.gt", "f32x4.lt", "f32x4.ge", "f32x4.ne", "v128.or", "v128.and", "v128.bitselect"]) expect(m.emitText()).toContain(op);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(m.emitBinary())));
    m.dispose();
    const a = new Float32Array((instance.exports.memory as WebAssembly.Memory).buffer, 0, 16);
    a.set([1, 5, NaN, 2, 0, 6, 3, -1], 0);
    (instance.exports.k as () => void)();
    // lane by lane: v > w || w < 0 picks v, else w; v >= 1 && w !== 2 gives 7, else 0
    expect(Array.from(a.slice(8, 12))).toEqual([1, 6, 3, 2]);
    expect(Array.from(a.slice(12, 16))).toEqual([7, 7, 0, 7]);
    // a mask is no value, and a value is no mask
    expect(() => build([b.store("a", 8, b.gt(v, w), "=", 4)])).toThrow("lane mask");
    expect(() => build([b.store("a", 8, b.add(b.gt(v, w), v), "=", 4)])).toThrow("lane mask");
    expect(() => build([b.if(b.gt(v, w), [])])).toThrow("condition");
    expect(() => build([b.store("a", 8, b.select(b.gt(v, w), b.gt(v, w), v), "=", 4)])).toThrow("lane mask");
  });

  it("rounding stores refuses a vector store (vectors live on a Float32Array arena)", () => {
    expect(() => roundStores([b.store("a", 4, b.ref("s"), "=", 4)])).toThrow("internal");
  });
});
