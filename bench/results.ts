// The shape of one benchmark run, as written to results.json and rendered into RESULTS.md.
import type { Summary } from "./stats.js";

export type CellKind = "train" | "infer";

export interface Cell {
  readonly kind: CellKind;
  readonly batch: number;
}

/** The four cells of every workload, in table order. */
export const cells: readonly Cell[] = [
  { kind: "train", batch: 1 },
  { kind: "train", batch: 32 },
  { kind: "infer", batch: 1 },
  { kind: "infer", batch: 32 },
];

export function cellKey(cell: Cell): string {
  return `${cell.kind}${cell.batch}`;
}

export type CellOutcome =
  /** samples per wall-clock second and per CPU second of each timed round, in round order */
  | { readonly status: "measured"; readonly rounds: number[]; readonly cpuRounds: number[] }
  /** the engine threw; the reason is its own error message */
  | { readonly status: "fails"; readonly reason: string }
  /** one call would exceed the run's per-call limit; the estimate comes from the agreement check */
  | { readonly status: "too-slow"; readonly estimate: number; readonly callSeconds: number }
  /** not timed because the engine's output disagrees with the reference */
  | { readonly status: "disagrees"; readonly reason: string };

export interface Agreement {
  /** the engine compared against, cnnc unless cnnc is missing */
  readonly reference: string;
  /** max |Δ| of the softmax output before any training */
  readonly forwardDiff: number;
  /** max |Δ| of the softmax output after one training step on the same batch */
  readonly stepDiff: number | null;
  /** that step's mean loss, and its |Δ| to the reference's */
  readonly loss: number | null;
  readonly lossDiff: number | null;
  readonly forwardError: string | null;
  readonly trainError: string | null;
  /** the step was too slow to try; the training cells are then too slow to time as well */
  readonly trainSkipped: boolean;
}

export interface EngineResult {
  readonly name: string;
  readonly setupError: string | null;
  readonly agreement: Agreement | null;
  readonly cells: Record<string, CellOutcome>;
}

export interface CompileInfo {
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  /** the one compile() of a fresh process (absent from older records; NaN when it failed) */
  readonly freshSeconds?: number;
  readonly bytes: number;
  readonly lines: number;
}

export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  /** forward FLOPs per sample; training counts 3x */
  readonly flops: number;
  readonly flopsFrom: "analyze" | "arch";
  readonly params: number;
  readonly optimizer: { readonly lr: number; readonly momentum: number };
  readonly compile: CompileInfo | null;
  /** why cnnc is absent from this workload, when it is */
  readonly cnncError: string | null;
  /** cnnc --target wasm, when the cnnc-wasm engine was selected: its compile figures, or why it did not build */
  readonly wasm?: { readonly compile: CompileInfo | null; readonly error: string | null };
  readonly engines: EngineResult[];
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

export interface RunSettings {
  readonly quick: boolean;
  readonly rounds: number;
  readonly budgetSeconds: number;
  readonly warmupSeconds: number;
  readonly maxCallSeconds: number;
  /** warm compile() calls after the first, for the compile-time figure */
  readonly compileRepeats: number;
}

export interface Tile {
  readonly rows: number;
  readonly vectors: number;
  readonly unroll: number;
}

export interface Peak {
  readonly rounds: number[];
  readonly summary: Summary;
  readonly cpuRounds: number[];
  readonly cpuSummary: Summary;
}

export interface RunResult {
  readonly date: string;
  readonly command: string;
  readonly machine: Machine;
  readonly settings: RunSettings;
  /** GFLOP/s of the scalar multiply-add loop, one per round, per wall-clock and per CPU second */
  readonly peak: Peak;
  /** the same for the WebAssembly SIMD micro-kernel (bench/wasm-peak.ts): the best of the
   *  candidate tiles in each round, and which tile that was; absent from records made before it */
  readonly wasmPeak?: Peak & { readonly candidates: readonly Tile[]; readonly tiles: readonly Tile[] };
  readonly seconds: number;
  readonly workloads: WorkloadResult[];
}
