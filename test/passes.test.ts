// The tiling passes (src/kernel/passes/tile.ts): a hand-built nest in, the expected tree out,
// and each legality condition's refusal.
import { describe, expect, it } from "vitest";
import { b, region } from "../src/kernel/build.js";
import type { Stmt } from "../src/kernel/ir.js";
import { fold } from "../src/kernel/passes/fold.js";
import { accumulate, atLoop, coalesce, fuse, interchange, hoist, hoistIndexBase, skipWhenZero, splitSum, stripMine, unrollAndJam, unrollCopies, type For } from "../src/kernel/passes/tile.js";
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
/** Printed after folding, the free names r and i taken as integers (as loop variables are). */
const text = (k: readonly Stmt[]): string => stmts(fold(k, ["r", "i"]));

describe("stripMine", () => {
  const body = (j: ReturnType<typeof b.ref>): Stmt[] => [b.put(y, j, 0)];
  const strips = { width: 4, outer: "j0", inner: "jj" };

  it("cuts a loop into whole strips and the remainder's loop over the values left", () => {
    expect(text(stripMine(b.for("j", 11, body) as For, strips))).toBe(
      ["for (let j0 = 0; j0 < 8; j0 += 4) {", "for (let jj = 0; jj < 4; jj++) {", "a[y + j0 + jj] = 0;", "}", "}", "for (let jj = 8; jj < 11; jj++) {", "a[y + jj] = 0;", "}"].join("\n"),
    );
  });

  it("gives a single strip no loop of one iteration unless asked, and a strip a block when it declares locals", () => {
    const declares = { ...strips, width: 2, then: (l: For) => [b.const("t", 1), l] };
    expect(text(stripMine(b.for("j", 4, body, { start: 2 }) as For, declares))).toBe(["{", "for (let jj = 2; jj < 4; jj++) {", "a[y + jj] = 0;", "}", "}"].join("\n"));
    expect(text(stripMine(b.for("j", 4, body, { start: 2 }) as For, { ...strips, width: 2, oneStrip: "loop" }))).toBe(
      ["for (let j0 = 2; j0 < 4; j0 += 2) {", "for (let jj = 0; jj < 2; jj++) {", "a[y + j0 + jj] = 0;", "}", "}"].join("\n"),
    );
  });

  it("refuses a loop with a step, a zero width and a name the body uses", () => {
    expect(() => stripMine(b.for("j", 8, body, { step: 2 }) as For, strips)).toThrow(/step 2/);
    expect(() => stripMine(b.for("j", 8, body) as For, { ...strips, width: 0 })).toThrow(/width 0/);
    const reads = b.for("j", 8, (j) => [b.put(y, j, b.ref("jj"))]) as For;
    expect(() => stripMine(reads, strips)).toThrow(/name jj is taken/);
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

  it("jams through several loop levels: each level's pre and post copied, the innermost bodies fused", () => {
    // y[j] = sum over r < 2, i < 3 of x[r * 3 + i], two copies of j jammed through r and i
    const nest = b.for("j", 2, (j) => [
      b.let("sum", 0),
      b.for("r", 2, (r) => [b.const("o", b.mul(r, 3)), b.for("i", 3, (i) => [b.assign("sum", b.mul(b.at(x, b.add(b.ref("o"), i)), b.at(w, b.add(b.mul(i, 3), j))), "+=")])]),
      b.put(y, j, b.ref("sum")),
    ]) as For;
    expect(text(unrollAndJam(nest, (n, q) => `${n}${q}`, { levels: 2 }))).toBe(
      [
        "let sum0 = 0;",
        "let sum1 = 0;",
        "for (let r = 0; r < 2; r++) {",
        "const o0 = r * 3;",
        "const o1 = r * 3;",
        "for (let i = 0; i < 3; i++) {",
        "sum0 += a[x + o0 + i]! * a[W + i * 3]!;",
        "sum1 += a[x + o1 + i]! * a[W + i * 3 + 1]!;",
        "}",
        "}",
        "a[y] = sum0;",
        "a[y + 1] = sum1;",
      ].join("\n"),
    );
    // one level fuses the r loops only
    expect(text(unrollAndJam(nest, (n, q) => `${n}${q}`, { levels: 1 })).split("\n").filter((l) => l.startsWith("for")).length).toBe(3);
    // a level whose body holds two loops is refused
    const two = b.for("j", 2, (j) => [b.for("r", 2, () => [b.for("i", 3, () => []), b.for("k", 3, (k) => [b.put(y, j, k)])])]) as For;
    expect(() => unrollAndJam(two, undefined, { levels: 2 })).toThrow(/the loop over r holds 2 loops/);
    expect(() => unrollAndJam(nest, undefined, { levels: 0 })).toThrow(/levels 0/);
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

  it("reads a region's one load from a const at the top of the loop body", () => {
    const k = hoist(jammed(), "v", x);
    expect(text([k]).split("\n").slice(0, 3)).toEqual(["for (let i = 0; i < 6; i++) {", "const v = a[x + i]!;", "s0 += v * a[W + i * 3]!;"]);
  });

  it("moves a loop-invariant load before the loop", () => {
    const k = hoist(b.for("j", 3, (j) => [b.put(w, j, b.at(x, b.ref("r")), "+=")]) as For, "v", x, "before");
    expect(text(k)).toBe(["const v = a[x + r]!;", "for (let j = 0; j < 3; j++) {", "a[W + j]! += v;", "}"].join("\n"));
    // but not one that reads the loop's variable
    expect(() => hoist(b.for("j", 3, (j) => [b.put(w, j, b.at(x, j))]) as For, "v", x, "before")).toThrow(/j changes/);
  });

  it("refuses a region loaded at two elements, or none, a load that changes in the loop, and one a store may overwrite", () => {
    expect(() => hoist(jammed(), "v", w)).toThrow(/loads 3 different elements of W/);
    expect(() => hoist(jammed(), "v", y)).toThrow(/loads 0 different elements/);
    const changing = b.for("i", 3, (i) => [b.let("t", i), b.put(y, 0, b.at(x, b.ref("t")))]) as For;
    expect(() => hoist(changing, "v", x)).toThrow(/t changes/);
    const overwritten = b.for("i", 3, (i) => [b.put(y, i, b.at(x, 0)), b.put(x, 0, i)]) as For;
    expect(() => hoist(overwritten, "v", x)).toThrow(/may store where x is loaded/);
    // a store to another region does not stop it
    const elsewhere = b.for("i", 3, (i) => [b.put(y, i, b.at(x, 0)), b.put(w, 0, i)]) as For;
    expect(text([hoist(elsewhere, "v", x)]).split("\n")[1]).toBe("const v = a[x]!;");
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

  it("hoists an index base out of a loop, stores' indices too, leaving the loop's terms", () => {
    const row = b.for("j", 3, (j) => [b.put(w, b.add(b.mul(b.ref("r"), 3), j, 1), b.at(w, b.add(b.mul(b.ref("r"), 3), j)), "+=")]) as For;
    expect(text(hoistIndexBase(row, "g", w, "before"))).toBe(["const g = W + r * 3;", "for (let j = 0; j < 3; j++) {", "a[g + j + 1]! += a[g + j]!;", "}"].join("\n"));
  });

  it("refuses index bases that differ by more than a literal, or that change in the loop", () => {
    const apart = b.for("i", 3, (i) => [b.put(y, 0, b.add(b.at(w, i), b.at(w, b.mul(i, 2))))]) as For;
    expect(() => hoistIndexBase(apart, "ki", w)).toThrow(/do not share one symbolic part/);
    const local = b.for("i", 3, (i) => [b.const("t", b.mul(i, 3)), b.put(y, 0, b.at(w, b.ref("t")))]) as For;
    expect(() => hoistIndexBase(local, "ki", w)).toThrow(/t changes/);
    expect(() => hoistIndexBase(local, "ki", x)).toThrow(/reaches nothing of x/);
  });
});

describe("unrollCopies", () => {
  const units = (): For => b.for("t", 2, (t) => [b.const("d", b.at(x, t)), b.put(y, t, b.ref("d"), "+=")]) as For;

  it("splices renamed copies, or gives each a block", () => {
    expect(text(unrollCopies(units(), (n, _, v) => `${n}${v}`, "splice"))).toBe(["const d0 = a[x]!;", "a[y]! += d0;", "const d1 = a[x + 1]!;", "a[y + 1]! += d1;"].join("\n"));
    expect(text(unrollCopies(units(), (n) => n, "blocks"))).toBe(["{", "const d = a[x]!;", "a[y]! += d;", "}", "{", "const d = a[x + 1]!;", "a[y + 1]! += d;", "}"].join("\n"));
  });

  it("refuses a renaming onto a used name, two copies sharing a name, and a continue of the loop", () => {
    expect(() => unrollCopies(units(), () => "x0", "splice")).toThrow(/two copies would name a local x0/);
    const uses = b.for("t", 2, (t) => [b.const("d", b.at(x, t)), b.put(y, t, b.add(b.ref("d"), b.ref("d1")))]) as For;
    expect(() => unrollCopies(uses, (n, q) => `${n}${q}`, "splice")).toThrow(/rename d to d1, which the loop over t uses/);
    const skips = b.for("t", 2, (t) => [b.if(b.eq(t, 0), [b.continue()]), b.put(y, t, 1)]) as For;
    expect(() => unrollCopies(skips, (n) => n, "splice")).toThrow(/a continue/);
  });
});

describe("fuse, accumulate and splitSum", () => {
  // dx[i] += sum over j of W[i, j] * dy[j]; dW[i, j] += x[i] * dy[j] (dense's backward nests)
  const dy = region("dy", 60, 3);
  const dx = region("dx", 70, 6);
  const gw = region("dW", 80, 18);
  const dxNest = () => b.for("i", 6, (i) => [b.for("j", 3, (j) => [b.put(dx, i, b.mul(b.at(w, b.add(b.mul(i, 3), j)), b.at(dy, j)), "+=")])]) as For;
  const dwNest = () => b.for("r", 6, (r) => [b.for("c", 3, (c) => [b.put(gw, b.add(b.mul(r, 3), c), b.mul(b.at(x, r), b.at(dy, c)), "+=")])]) as For;

  it("fuses two nests at every level, renaming the second's variables", () => {
    expect(text([fuse(dxNest(), dwNest())])).toBe(
      ["for (let i = 0; i < 6; i++) {", "for (let j = 0; j < 3; j++) {", "a[dx + i]! += a[W + i * 3 + j]! * a[dy + j]!;", "a[dW + i * 3 + j]! += a[x + i]! * a[dy + j]!;", "}", "}"].join("\n"),
    );
  });

  it("refuses nests over different ranges, or where one reads what the other writes", () => {
    expect(() => fuse(dxNest(), b.for("i", 5, () => []) as For)).toThrow(/different ranges/);
    // the second nest reads dx[i + 1], which the first writes one iteration later
    const reads = b.for("i", 6, (i) => [b.put(y, 0, b.at(dx, b.add(i, 1)), "+=")]) as For;
    expect(() => fuse(dxNest(), reads)).toThrow(/may touch one element/);
    const sums = () => b.for("i", 2, (i) => [b.let("s", b.at(x, i)), b.put(y, i, b.ref("s"))]) as For;
    expect(() => fuse(sums(), sums())).toThrow(/both loops over i declare s/);
  });

  it("compares an index through a changing local by region only", () => {
    // t moves between the store and the load: y[t] and y[t + 1] may be one element
    const moving = b.for("j", 2, (j) => [b.for("i", 2, () => [b.put(y, b.ref("t"), j), b.assign("t", 1, "+="), b.put(w, 0, b.at(y, b.add(b.ref("t"), 1)))])]) as For;
    expect(() => unrollAndJam(moving)).toThrow(/assigns t, declared outside it/);
    const local = b.for("i", 2, (i) => [b.for("f", 2, (f) => [b.let("t", f), b.assign("t", i, "+="), b.put(y, b.ref("t"), 1, "+=")])]) as For;
    expect(() => interchange(local)).toThrow(/may touch one element in another order/);
  });

  it("sums a loop's stores into one element in a local, then splits the sum over partials", () => {
    const inner = loop(dxNest().body);
    const summed = accumulate(inner, dx, "p");
    expect(text(summed)).toBe(["let p = 0;", "for (let j = 0; j < 3; j++) {", "p += a[W + i * 3 + j]! * a[dy + j]!;", "}", "a[dx + i]! += p;"].join("\n"));
    const unrolled = [summed[0]!, ...unrollCopies(summed[1] as For, (n) => n, "splice"), summed[2]!];
    expect(text(splitSum(unrolled, "p", ["h"]))).toBe(
      ["let p = 0;", "let h = 0;", "p += a[W + i * 3]! * a[dy]!;", "h += a[W + i * 3 + 1]! * a[dy + 1]!;", "p += a[W + i * 3 + 2]! * a[dy + 2]!;", "a[dx + i]! += p + h;"].join("\n"),
    );
  });

  it("refuses a sum over stores at two elements or that also reads the element, and a split of a sum read early", () => {
    const moving = b.for("j", 3, (j) => [b.put(dx, j, 1, "+=")]) as For;
    expect(() => accumulate(moving, dx, "p")).toThrow(/j changes/);
    const two = b.for("j", 3, () => [b.put(dx, 0, 1, "+="), b.put(dx, 1, 1, "+=")]) as For;
    expect(() => accumulate(two, dx, "p")).toThrow(/not \+= at one index/);
    const reads = b.for("j", 3, () => [b.put(dx, 0, b.at(dx, 0), "+=")]) as For;
    expect(() => accumulate(reads, dx, "p")).toThrow(/reads dx's element/);
    expect(() => accumulate(reads, dy, "p")).toThrow(/stores nothing into dy/);
    const early = [b.let("p", 0), b.assign("p", 1, "+="), b.put(y, 0, b.ref("p")), b.assign("p", 2, "+=")];
    expect(() => splitSum(early, "p", ["h"])).toThrow(/read before its last update/);
    expect(() => splitSum([b.let("p", 1)], "p", ["h"])).toThrow(/no top-level let p = 0/);
  });
});

describe("coalesce and interchange", () => {
  const gb = region("gb", 90, 3);
  const dy = region("dy", 60, 12);
  // dB[f] += dY[oy, ox, f] over a 2 x 2 output of 3 filters (conv2d's bias gradient)
  const pixels = () =>
    b.for("oy", 2, (oy) => [b.for("ox", 2, (ox) => [b.for("f", 3, (f) => [b.put(gb, f, b.at(dy, b.add(b.mul(b.add(b.mul(oy, 2), ox), 3), f)), "+=")])])]) as For;

  it("makes two pixel loops one, and moves the filter loop outside it", () => {
    const one = coalesce(pixels(), "p");
    expect(text([one])).toBe(["for (let p = 0; p < 4; p++) {", "for (let f = 0; f < 3; f++) {", "a[gb + f]! += a[dy + p * 3 + f]!;", "}", "}"].join("\n"));
    expect(text([interchange(one)])).toBe(["for (let f = 0; f < 3; f++) {", "for (let p = 0; p < 4; p++) {", "a[gb + f]! += a[dy + p * 3 + f]!;", "}", "}"].join("\n"));
  });

  it("refuses loops read other than as one pixel index, and loops not perfectly nested", () => {
    const transposed = b.for("oy", 2, (oy) => [b.for("ox", 2, (ox) => [b.put(y, b.add(b.mul(ox, 2), oy), 1)])]) as For;
    expect(() => coalesce(transposed, "p")).toThrow(/other than as \(oy \* 2 \+ ox\) \* c/);
    const value = b.for("oy", 2, (oy) => [b.for("ox", 2, (ox) => [b.put(w, b.add(b.mul(oy, 2), ox), ox)])]) as For;
    expect(() => coalesce(value, "p")).toThrow(/outside an index/);
    const imperfect = b.for("oy", 2, () => [b.put(y, 0, 1), b.for("ox", 2, () => [])]) as For;
    expect(() => coalesce(imperfect, "p")).toThrow(/not one loop around another/);
    expect(() => interchange(imperfect)).toThrow(/not one loop around another/);
  });

  it("refuses an interchange that would reorder two iterations touching one element", () => {
    // y[i + j] += x[i]: iterations (i, j) and (i + 1, j - 1) touch one element
    const skew = b.for("i", 2, (i) => [b.for("j", 2, (j) => [b.put(y, b.add(i, j), b.at(x, i), "+=")])]) as For;
    expect(() => interchange(skew)).toThrow(/may touch one element in another order/);
    // x[j] = x[j + 1] reads what another j writes
    const shift = b.for("i", 2, () => [b.for("j", 2, (j) => [b.put(x, j, b.at(x, b.add(j, 1)))])]) as For;
    expect(() => interchange(shift)).toThrow(/may touch one element in another order/);
  });
});

describe("skipWhenZero", () => {
  it("skips an iteration whose common factor is zero", () => {
    const k = skipWhenZero(hoist(loop(unrollAndJam(loop(dense(2)), (_, q) => `s${q}`).slice(2)), "v", x), "v");
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
