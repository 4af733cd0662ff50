// The tiling passes (src/kernel/passes/tile.ts): a hand-built nest in, the expected tree out,
// and each legality condition's refusal.
import { describe, expect, it } from "vitest";
import { b, region } from "../src/kernel/build.js";
import type { Stmt } from "../src/kernel/ir.js";
import { fold } from "../src/kernel/passes/fold.js";
import { atLoop, hoist, hoistIndexBase, skipWhenZero, stripMine, unrollAndJam, type For } from "../src/kernel/passes/tile.js";
import { stmts } from "../src/kernel/print/ts.js";

const x = region("x", 0, 6);
const w = region("W", 10, 6 * 3);
const y = region("y", 40, 3);
const bias = region("bias", 50, 3);

/** y[j] = bias[j] + sum over i of x[i] * W[i, j], for j < units (the dense nest). */
function dense(units: number): Stmt[] {
  return [
    b.for("j", units, (j) => [
      b.let("sum", b.at(bias, j)),
      b.for("i", 6, (i) => [b.assign("sum", b.mul(b.at(x, i), b.at(w, b.add(b.mul(i, 3), j))), "+=")]),
      b.put(y, j, b.ref("sum")),
    ]),
  ];
}

const loop = (k: readonly Stmt[]): For => k[0] as For;
const text = (k: readonly Stmt[]): string => stmts(fold(k));

describe("stripMine", () => {
  const body = (j: ReturnType<typeof b.ref>): Stmt[] => [b.put(y, j, 0)];

  it("cuts a loop into whole strips and one remainder block", () => {
    expect(text(stripMine(b.for("j", 11, body) as For, { width: 4, outer: "j0", inner: "jj" }))).toBe(
      [
        "for (let j0 = 0; j0 < 8; j0 += 4) {",
        "for (let jj = 0; jj < 4; jj++) {",
        "a[y + j0 + jj] = 0;",
        "}",
        "}",
        "{",
        "for (let jj = 0; jj < 3; jj++) {",
        "a[y + jj + 8] = 0;",
        "}",
        "}",
      ].join("\n"),
    );
  });

  it("makes a single strip a block, not a loop of one iteration, and leaves no empty remainder", () => {
    expect(text(stripMine(b.for("j", 4, body, { start: 2 }) as For, { width: 2, outer: "j0", inner: "jj" }))).toBe(
      ["{", "for (let jj = 0; jj < 2; jj++) {", "a[y + jj + 2] = 0;", "}", "}"].join("\n"),
    );
  });

  it("refuses a loop with a step, a zero width and a name the body uses", () => {
    expect(() => stripMine(b.for("j", 8, body, { step: 2 }) as For, { width: 2, outer: "j0", inner: "jj" })).toThrow(/step 2/);
    expect(() => stripMine(b.for("j", 8, body) as For, { width: 0, outer: "j0", inner: "jj" })).toThrow(/width 0/);
    const reads = b.for("j", 8, (j) => [b.put(y, j, b.ref("jj"))]) as For;
    expect(() => stripMine(reads, { width: 2, outer: "j0", inner: "jj" })).toThrow(/name jj is taken/);
  });
});

describe("unrollAndJam", () => {
  it("turns the dense nest into a register block, renaming each copy's locals", () => {
    const k = unrollAndJam(loop(dense(3)), (name, q) => `${name[0]}${q}`);
    expect(text(k)).toBe(
      [
        "let s0 = a[bias]!;",
        "let s1 = a[bias + 1]!;",
        "let s2 = a[bias + 2]!;",
        "for (let i = 0; i < 6; i++) {",
        "s0 += a[x + i]! * a[W + i * 3]!;",
        "s1 += a[x + i]! * a[W + i * 3 + 1]!;",
        "s2 += a[x + i]! * a[W + i * 3 + 2]!;",
        "}",
        "a[y] = s0;",
        "a[y + 1] = s1;",
        "a[y + 2] = s2;",
      ].join("\n"),
    );
  });

  it("refuses copies that may touch one element", () => {
    // every copy adds into y[0]: the fused order would still be right for a sum of stores, but
    // the pass proves independence, it does not reason about commutativity
    const same = b.for("j", 2, (j) => [b.for("i", 3, (i) => [b.put(y, 0, b.at(x, b.add(i, j)), "+=")])]) as For;
    expect(() => unrollAndJam(same)).toThrow(/copies 0 and 1/);
    // copy j writes W[j * 3 + i] for i < 4, so copy 0's i = 3 is copy 1's i = 0
    const overlap = b.for("j", 2, (j) => [b.for("i", 4, (i) => [b.put(w, b.add(b.mul(j, 3), i), 1)])]) as For;
    expect(() => unrollAndJam(overlap)).toThrow(/may touch the same element/);
    // but rows of a matrix, each copy inside its own, are independent
    const rows = b.for("j", 2, (j) => [b.for("i", 3, (i) => [b.put(w, b.add(b.mul(j, 3), i), 1)])]) as For;
    expect(text(unrollAndJam(rows))).toBe(["for (let i = 0; i < 3; i++) {", "a[W + i] = 1;", "a[W + i + 3] = 1;", "}"].join("\n"));
    // a load through an index the copies compute at run time proves nothing
    const indirect = b.for("j", 2, (j) => [b.for("i", 3, (i) => [b.put(y, b.load("ix", b.add(i, j)), 1)])]) as For;
    expect(() => unrollAndJam(indirect)).toThrow(/may touch the same element/);
  });

  it("refuses a body that assigns an outer local, leaves a copy early, or holds other than one loop", () => {
    const outer = b.for("j", 2, (j) => [b.for("i", 3, (i) => [b.assign("total", b.at(x, b.add(i, j)), "+=")])]) as For;
    expect(() => unrollAndJam(outer)).toThrow(/assigns total, declared outside it/);
    const early = b.for("j", 2, (j) => [b.for("i", 3, (i) => [b.if(b.eq(i, j), [b.continue()]), b.put(y, j, i)])]) as For;
    expect(() => unrollAndJam(early)).toThrow(/a continue/);
    const two = b.for("j", 2, (j) => [b.for("i", 3, () => []), b.for("k", 3, (k) => [b.put(y, j, k)])]) as For;
    expect(() => unrollAndJam(two)).toThrow(/holds 2 loops/);
    const nested = b.for("j", 2, (j) => [b.if(b.eq(j, 0), [b.for("k", 3, (k) => [b.put(y, j, k)])]), b.for("i", 3, () => [])]) as For;
    expect(() => unrollAndJam(nested)).toThrow(/outside the jammed loop/);
  });
});

describe("hoisting", () => {
  const jammed = (): For => loop(unrollAndJam(loop(dense(3)), (_, q) => `s${q}`).slice(3));

  it("reads a repeated load from one const at the top of the loop body", () => {
    const k = hoist(jammed(), "v", b.at(x, b.ref("i")));
    expect(text([k]).split("\n").slice(0, 3)).toEqual(["for (let i = 0; i < 6; i++) {", "const v = a[x + i]!;", "s0 += v * a[W + i * 3]!;"]);
  });

  it("refuses a value the loop does not read, one that changes in it, and a load a store may overwrite", () => {
    expect(() => hoist(jammed(), "v", b.at(x, 1))).toThrow(/does not read/);
    const changing = b.for("i", 3, (i) => [b.let("t", i), b.put(y, 0, b.at(x, b.ref("t")))]) as For;
    expect(() => hoist(changing, "v", b.at(x, b.ref("t")))).toThrow(/t changes/);
    const overwritten = b.for("i", 3, (i) => [b.put(y, i, b.at(x, 0)), b.put(x, 0, i)]) as For;
    expect(() => hoist(overwritten, "v", b.at(x, 0))).toThrow(/may store where/);
    // a store to another region does not stop it
    const elsewhere = b.for("i", 3, (i) => [b.put(y, i, b.at(x, 0)), b.put(w, 0, i)]) as For;
    expect(text([hoist(elsewhere, "v", b.at(x, 0))]).split("\n")[1]).toBe("const v = a[x]!;");
  });

  it("hoists the common base of a region's indices, the loads keeping their literal offsets", () => {
    const k = hoistIndexBase(jammed(), "ki", w);
    expect(text([k]).split("\n").slice(0, 5)).toEqual([
      "for (let i = 0; i < 6; i++) {",
      "const ki = W + i * 3;",
      "s0 += a[x + i]! * a[ki]!;",
      "s1 += a[x + i]! * a[ki + 1]!;",
      "s2 += a[x + i]! * a[ki + 2]!;",
    ]);
  });

  it("refuses index bases that differ by more than a literal, or that change in the loop", () => {
    const apart = b.for("i", 3, (i) => [b.put(y, 0, b.add(b.at(w, i), b.at(w, b.mul(i, 2))))]) as For;
    expect(() => hoistIndexBase(apart, "ki", w)).toThrow(/do not share one symbolic index/);
    const local = b.for("i", 3, (i) => [b.const("t", b.mul(i, 3)), b.put(y, 0, b.at(w, b.ref("t")))]) as For;
    expect(() => hoistIndexBase(local, "ki", w)).toThrow(/t changes/);
    expect(() => hoistIndexBase(local, "ki", y)).toThrow(/loads nothing of y/);
  });
});

describe("skipWhenZero", () => {
  it("skips an iteration whose common factor is zero", () => {
    const k = skipWhenZero(hoist(loop(unrollAndJam(loop(dense(2)), (_, q) => `s${q}`).slice(2)), "v", b.at(x, b.ref("i"))), "v");
    expect(text([k]).split("\n").slice(0, 6)).toEqual(["for (let i = 0; i < 6; i++) {", "const v = a[x + i]!;", "if (v === 0) {", "continue;", "}", "s0 += v * a[W + i * 3]!;"]);
  });

  it("refuses a body that does more than add multiples of the factor into sums", () => {
    const store = b.for("i", 3, (i) => [b.const("v", b.at(x, i)), b.put(y, i, b.ref("v"))]) as For;
    expect(() => skipWhenZero(store, "v")).toThrow(/a store/);
    const plus = b.for("i", 3, (i) => [b.const("v", b.at(x, i)), b.assign("s", b.add(b.ref("v"), 1), "+=")]) as For;
    expect(() => skipWhenZero(plus, "v")).toThrow(/not a multiple of v/);
    expect(() => skipWhenZero(plus, "u")).toThrow(/no const u/);
  });
});

describe("atLoop", () => {
  it("refuses a schedule naming a loop the nest does not have", () => {
    expect(() => atLoop(dense(3), "k", (l) => l)).toThrow(/no loop over k/);
  });
});
