// A high-precision reference erf for the tests, independent of the compiler's (src/kernel/erf.ts):
// the Taylor series summed in 90-digit fixed point with BigInt, pi from Machin's formula, the
// argument read exactly from its double. Correct to about 1e-17 for |x| <= 7 (beyond, erf is
// +-1 to double precision).
const DIGITS = 90n;
const ONE = 10n ** DIGITS;

function arctanInverse(k: bigint): bigint {
  let sum = 0n;
  let term = ONE / k;
  let n = 1n;
  let sign = 1n;
  while (term !== 0n) {
    sum += (sign * term) / n;
    term /= k * k;
    n += 2n;
    sign = -sign;
  }
  return sum;
}

function sqrtFixed(v: bigint): bigint {
  // Newton's method on the integer square root of v * ONE
  const n = v * ONE;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  for (;;) {
    const next = (x + n / x) / 2n;
    if (next === x || next === x + 1n || next === x - 1n) return next;
    x = next;
  }
}

const PI = 4n * (4n * arctanInverse(5n) - arctanInverse(239n));
const SQRT_PI = sqrtFixed(PI);

/** erf(x), correctly rounded to within about one unit in the last place. */
export function erfReference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a > 7) return Math.sign(x);
  // a = m / 2^k exactly
  let m = a;
  let k = 0;
  for (; !Number.isInteger(m); k++) m *= 2;
  const X = (BigInt(m) * ONE) / 2n ** BigInt(k);
  const X2 = (X * X) / ONE;
  let power = X; // X^(2n+1) / n!
  let sum = 0n;
  for (let n = 0n; ; n++) {
    const term = power / (2n * n + 1n);
    if (term === 0n) break;
    sum += n % 2n === 0n ? term : -term;
    power = (power * X2) / ONE / (n + 1n);
  }
  const erf = (2n * sum * ONE) / SQRT_PI;
  const value = Number(erf / 10n ** (DIGITS - 20n)) / 1e20;
  return x < 0 ? -value : value;
}
