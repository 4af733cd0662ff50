// Seed and count of the fuzz run, from the environment so a failure can be replayed:
// case i uses seed FUZZ_SEED + i, so `FUZZ_SEED=<that seed> FUZZ_COUNT=1` runs it alone.
export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20_250_501);
// CI runs 60; `npm run test:fuzz` 2,000
export const fuzzCount = Number(process.env.FUZZ_COUNT ?? 60);

export function caseSeeds(count = fuzzCount): number[] {
  return Array.from({ length: count }, (_, i) => fuzzSeed + i);
}

export function replayHint(seed: number, file: string): string {
  return `replay: FUZZ_SEED=${seed} FUZZ_COUNT=1 npx vitest run ${file}`;
}

/** FUZZ_READABLE=1 compiles every case as the readable build (`--readable`) instead of the
 *  tuned one: the same results are expected of both. */
export const fuzzReadable = process.env.FUZZ_READABLE === "1";

/** DIFF_TARGET=wasm compiles every case for the WebAssembly target (`--target wasm`). */
export const fuzzTarget: "ts" | "wasm" = process.env.DIFF_TARGET === "wasm" ? "wasm" : "ts";

/** Networks of the wasm target checked in every run, beside the TypeScript ones. */
export const wasmCount = Number(process.env.WASM_COUNT ?? 8);

/** Networks of the readable build checked in every run, beside the tuned ones. */
export const readableCount = Number(process.env.READABLE_COUNT ?? 12);
