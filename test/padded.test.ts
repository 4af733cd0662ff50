// The padded-input copy as a pass (src/kernel/passes/border.ts): conv2d's plain window nests,
// which test every tap against the edges, run over the zero-bordered copy without the tests
// and compute the same numbers; and each legality condition's refusal.
import { describe, expect, it } from "vitest";
import { b, region } from "../src/kernel/build.js";
import type { Region, Stmt } from "../src/kernel/ir.js";
import { padded, type Padding } from "../src/kernel/passes/border.js";
import { fold } from "../src/kernel/passes/fold.js";
import { resolveRegions } from "../src/kernel/passes/regions.js";
import { stmts } from "../src/kernel/print/ts.js";
import { forwardPlain, inputGradPlain, weightGradPlain } from "../src/emit/kernels/conv2d-plain.js";
import type { Geometry } from "../src/emit/kernels/conv2d.js";
import { Rng } from "./diff/random.js";

/** A 5 x 6 x 2 input, 3 x 3 kernel of 3 filters, stride and dilation as given, padding 1. */
function layout(sh: number, dw: number) {
  const [h, w, c, f, kh, kw, pt, pl] = [5, 6, 2, 3, 3, 3, 1, 1];
  const [pb, pr] = [1, 1];
  const oh = Math.floor((h + pt + pb - (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pl + pr - (kw - 1) * dw - 1) / 1) + 1;
  const wp = w + pl + pr;
  const g: Geometry = { h, w, c, oh, ow, f, kh, kw, sh, sw: 1, dh: 1, dw, pt, pl, wp, bias: false };
  let at = 0;
  const next = (name: string, size: number): Region => {
    const r = region(name, at, size);
    at += size;
    return r;
  };
  const x = next("x", h * w * c);
  const xp = next("xp", (h + pt + pb) * wp * c);
  const k = next("W", kh * kw * c * f);
  const y = next("y", oh * ow * f);
  return { g, x, xp, k, y, size: at };
}

/** Runs a kernel over an arena (the regions resolved to offsets, as the tuned build does). */
function run(kernel: readonly Stmt[], arena: Float64Array): void {
  // the printed TypeScript's non-null assertions are all `a[...]!`; JavaScript has none
  new Function("a", stmts(fold(resolveRegions(kernel), [])).replaceAll("]!", "]"))(arena);
}

function randomArena(size: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: size }, () => rng.next() - 0.5);
}

describe("padded", () => {
  for (const [sh, dw] of [[1, 1], [2, 1], [1, 2]] as const)
    it(`computes what the tested nests compute, over the bordered copy (stride ${sh}, dilation ${dw})`, () => {
      const { g, x, xp, k, y, size } = layout(sh, dw);
      const p = (copy: Padding["copy"], plain: Region): Padding => ({ ...g, plain, bordered: xp, row: "iy", col: "ix", copy });
      const zeroBorder = (a: Float64Array) => a.fill(0, xp.offset, xp.offset + xp.size);
      const cases: [string, Stmt[], Padding, Region][] = [
        ["forward", forwardPlain(g, x, k, null, y, undefined, undefined, "f64"), p("in", x), y],
        ["input gradient", inputGradPlain(g, y, k, x), p("out", x), x],
        ["weight gradient", weightGradPlain(g, x, y, k), p("none", x), k],
      ];
      for (const [what, nest, padding, out] of cases) {
        const [want, got] = [randomArena(size, 7), randomArena(size, 7)];
        zeroBorder(want);
        zeroBorder(got);
        // the weight gradient reads the copy the forward pass made
        if (padding.copy === "none") run(padded([], { ...padding, copy: "in" }).slice(0, 1), got);
        run(nest, want);
        const derived = padded(nest, padding);
        expect(stmts(fold(derived, [])), what).not.toMatch(/continue|iy|ix/);
        run(derived, got);
        const slice = (a: Float64Array) => Array.from(a.subarray(out.offset, out.offset + out.size));
        // the input gradient's sums are formed in the bordered buffer before they join dX (as
        // the tuned build does), so they round differently: equal to 1e-12
        if (padding.copy === "out") slice(got).forEach((v, i) => expect(v, what).toBeCloseTo(slice(want)[i]!, 12));
        else expect(slice(got), what).toEqual(slice(want));
      }
    });

  it("resolves the row and column consts of a window that never leaves the tensor", () => {
    const { g, x, k, y } = layout(1, 1);
    const valid = { ...g, pt: 0, pl: 0, wp: g.w, oh: 3, ow: 4 };
    const text = stmts(fold(padded(forwardPlain(valid, x, k, null, y, undefined, undefined, "f64"), { ...valid, plain: x, bordered: null, row: "iy", col: "ix", copy: "in" }), []));
    expect(text).toContain("sum += a[x + oy * 12 + ky * 12 + ox * 2 + kx * 2 + c]! * a[W + ky * 18 + kx * 6 + c * 3 + f]!;");
    expect(text).not.toMatch(/const iy|const ix/);
  });

  it("refuses edge tests without a bordered copy, a guarded update that adds more than 0, and other reads of the tap's row", () => {
    const { g, x, xp, k, y } = layout(1, 1);
    const p: Padding = { ...g, plain: x, bordered: xp, row: "iy", col: "ix", copy: "none" };
    const nest = forwardPlain(g, x, k, null, y, undefined, undefined, "f64");
    expect(() => padded(nest, { ...p, bordered: null })).toThrow(/edge test/);
    const guarded = (extra: Stmt): Stmt[] => [
      b.let("sum", 0),
      b.for("ky", 3, (ky) => [
        b.const("iy", b.sub(ky, 1)),
        b.if(b.or(b.lt(b.ref("iy"), 0), b.ge(b.ref("iy"), 5)), [b.continue()]),
        b.const("ix", 0),
        extra,
      ]),
    ];
    expect(() => padded(guarded(b.assign("sum", 1, "+=")), p)).toThrow(/adds more than 0/);
    expect(() => padded(guarded(b.assign("sum", b.ref("iy"), "+=")), p)).toThrow(/adds more than 0/);
    expect(() => padded(guarded(b.put(y, 0, b.ref("iy"))), p)).toThrow(/adds more than 0/);
    expect(() => padded(guarded(b.assign("sum", b.mul(b.at(x, b.add(b.mul(b.ref("iy"), 12), b.mul(b.ref("ix"), 2))), b.ref("iy")), "+=")), p)).toThrow(/iy is read/);
    expect(() => padded(guarded(b.assign("sum", b.mul(b.at(x, b.mul(b.ref("iy"), 3)), 2), "+=")), p)).toThrow(/not \(iy \* 6 \+ ix\) \* 2/);
  });
});
