// The generated erf (src/kernel/erf.ts) against a 90-digit reference over a grid, in both
// precisions' sizes, printed and run as the generated code runs it.
import { describe, expect, it } from "vitest";
import { erf } from "../src/kernel/erf.js";
import { b } from "../src/kernel/build.js";
import { expr as printExpr } from "../src/kernel/print/ts.js";
import { erfReference } from "./helpers/erf.js";

function compiled(precision: "f32" | "f64", scale = 1): (x: number) => number {
  return new Function("x", `return ${printExpr(erf(b.ref("x"), precision, scale))};`) as (x: number) => number;
}

/** -7 .. 7 in steps of 1/128, plus points either side of the series' edge. */
const grid = [...Array.from({ length: 7 * 256 + 1 }, (_, i) => i / 128 - 7), 2 - 1e-12, 2 + 1e-12, -2 + 1e-12, 1.5 - 1e-9, 1.5 + 1e-9, 1e-300, -1e-300];

describe("the generated erf", () => {
  it("the reference is right where erf is known", () => {
    // erf(1) and erf(0.5) to 16 digits (Abramowitz and Stegun, table 7.1)
    expect(Math.abs(erfReference(1) - 0.8427007929497149)).toBeLessThan(2e-16);
    expect(Math.abs(erfReference(0.5) - 0.5204998778130465)).toBeLessThan(2e-16);
    expect(erfReference(0)).toBe(0);
  });

  for (const [precision, bound] of [["f64", 1e-15], ["f32", 1e-8]] as const)
    it(`stays within ${bound} of the reference over [-7, 7] (${precision} build)`, () => {
      const f = compiled(precision);
      const worst = Math.max(...grid.map((x) => Math.abs(f(x) - erfReference(x))));
      expect(worst).toBeLessThan(bound);
    });

  it("erf(x / sqrt(2)) with the scale folded into the coefficients", () => {
    const f = compiled("f64", Math.SQRT1_2);
    const worst = Math.max(...grid.map((x) => Math.abs(f(x * 1.4) - erfReference(x * 1.4 * Math.SQRT1_2))));
    expect(worst).toBeLessThan(1e-15);
  });

  it("is odd, +-1 at the infinities, and passes a NaN through", () => {
    const f = compiled("f64");
    for (const x of [0.3, 1.9, 2.5, 5]) expect(f(-x)).toBe(-f(x));
    expect(f(Infinity)).toBe(1);
    expect(f(-Infinity)).toBe(-1);
    expect(f(1e200)).toBe(1);
    expect(f(NaN)).toBeNaN();
  });
});
