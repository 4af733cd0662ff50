// The error function as a kernel expression: there is no Math.erf, so the generated code
// carries its own, built here from two expansions whose coefficients are computed exactly at
// compile time (no table copied from a library):
//   |z| < c:  erf(z) = 2/sqrt(pi) * sum over n of (-1)^n z^(2n+1) / (n! (2n+1))   (Taylor, in z^2)
//   |z| >= c: erf(z) = sign(z) - exp(-z^2) / (sqrt(pi) T(z)),
//             T(z) = z + (1/2) / (z + (2/2) / (z + (3/2) / (...)))                  (Laplace's
//             continued fraction for erfc, truncated after `depth` levels)
// T is odd, so the second form holds for either sign, and for |z| -> Infinity it gives
// sign(z) exactly with no NaN. The sizes per precision keep the absolute error under 1e-15
// (f64: c = 2, 30 terms, 40 levels) or 1e-8 (f32: c = 1.5, 16 terms, 20 levels), measured in
// test/erf.test.ts against a 90-digit reference over a grid.
import { b, type E } from "./build.js";
import type { Expr } from "./ir.js";

interface ErfSize {
  readonly cut: number;
  readonly terms: number;
  readonly depth: number;
}

const sizes: Readonly<Record<"f32" | "f64", ErfSize>> = {
  f64: { cut: 2, terms: 30, depth: 40 },
  f32: { cut: 1.5, terms: 16, depth: 20 },
};

/** erf(scale * x). `x` is read many times, so it must be cheap (a local); `scale` is folded
 *  into the coefficients, so erf(x / sqrt(2)) costs no more than erf(x). */
export function erf(x: Expr, precision: "f32" | "f64", scale = 1): Expr {
  const { cut, terms, depth } = sizes[precision];
  const x2 = (): Expr => b.mul(x, x);
  // Taylor in x^2: erf(s x) = x * sum of p_n s^(2n+1) x^(2n), by Horner's rule
  const coefficient = (n: number): number => ((n % 2 === 0 ? 1 : -1) * 2 * scale ** (2 * n + 1)) / (Math.sqrt(Math.PI) * factorial(n) * (2 * n + 1));
  let series: E = coefficient(terms - 1);
  for (let n = terms - 2; n >= 0; n--) series = b.add(b.mul(series, x2()), coefficient(n));
  // T(s x) = s * T'(x) with T'(x) = x + (k / (2 s^2)) / (x + ...): the scale moves into the numerators
  let fraction: E = x;
  for (let k = depth; k >= 1; k--) fraction = b.add(x, b.div(k / (2 * scale * scale), fraction));
  const tail = b.div(b.mul(b.math("exp", b.mul(x2(), -(scale * scale))), 1 / (Math.sqrt(Math.PI) * scale)), fraction);
  return b.select(b.lt(x2(), (cut * cut) / (scale * scale)), b.mul(x, series), b.sub(b.select(b.gt(x, 0), 1, -1), tail));
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}
