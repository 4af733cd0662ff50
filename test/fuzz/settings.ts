// How many inputs the parser/checker fuzz run tries and from which seed, read from the environment
// so that a long run (FUZZ_COUNT=100000) and a replay (FUZZ_SEED=...) need no code change.

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return value;
}

/** Total number of inputs across every input family. */
export const fuzzCount = envNumber("FUZZ_COUNT", 3000);

/** fast-check seed; every family derives its own from it. */
export const fuzzSeed = envNumber("FUZZ_SEED", 20_250_611);

/** Most accepted programs compiled per run: compile() costs 50-300 ms each. */
export const compileCap = envNumber("FUZZ_COMPILE_CAP", Math.max(40, Math.min(2000, Math.round(fuzzCount / 50))));

/** One compiled module in this many is also type-checked with tsc (at least `minTypeChecked`). */
export const typeCheckEvery = 50;
export const minTypeChecked = 5;

/** Longest analyze() may take on one input. */
export const analyzeBudgetMs = 1000;
