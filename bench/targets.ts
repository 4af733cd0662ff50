// The issues' targets for cnnc, checked against a run: the tables at the end of RESULTS.md.
// Issue 4 holds the TypeScript target (engine "cnnc") to them, issue 10 the WebAssembly target
// ("cnnc-wasm").
import { cellKey, type Cell, type CellOutcome, type RunResult, type WorkloadResult } from "./results.js";
import { median, pairedRatio } from "./stats.js";

/** This many times faster, in the same rounds, than the fastest of these engines. */
export interface Versus {
  readonly engines: readonly string[];
  readonly ratio: number;
}

export interface SpeedTarget {
  readonly issue: 4 | 10;
  readonly workload: string;
  readonly cell: Cell;
  /** the engine held to the target */
  readonly engine: string;
  readonly minSamplesPerSecond?: number;
  readonly versus?: readonly Versus[];
  /** at least this fraction of the run's best WebAssembly SIMD peak round */
  readonly minWasmPeakFraction?: number;
}

const fasterOfWasmEngines = ["tfjs-wasm", "ort-web"];

export const speedTargets: readonly SpeedTarget[] = [
  { issue: 4, engine: "cnnc", workload: "w1", cell: { kind: "train", batch: 32 }, minSamplesPerSecond: 1500, versus: [{ engines: ["convnetjs"], ratio: 8 }] },
  { issue: 4, engine: "cnnc", workload: "w1", cell: { kind: "train", batch: 1 }, minSamplesPerSecond: 1200 },
  { issue: 4, engine: "cnnc", workload: "w1", cell: { kind: "infer", batch: 1 }, minSamplesPerSecond: 4000, versus: [{ engines: ["tfjs-wasm"], ratio: 2 }] },
  { issue: 4, engine: "cnnc", workload: "w1", cell: { kind: "infer", batch: 32 }, minSamplesPerSecond: 5000 },
  { issue: 4, engine: "cnnc", workload: "w2", cell: { kind: "train", batch: 32 }, minSamplesPerSecond: 15, versus: [{ engines: ["convnetjs"], ratio: 5 }] },
  { issue: 4, engine: "cnnc", workload: "w2", cell: { kind: "infer", batch: 32 }, minSamplesPerSecond: 50 },
  { issue: 10, engine: "cnnc-wasm", workload: "w1", cell: { kind: "infer", batch: 1 }, versus: [{ engines: fasterOfWasmEngines, ratio: 1.5 }] },
  { issue: 10, engine: "cnnc-wasm", workload: "w1", cell: { kind: "infer", batch: 32 }, versus: [{ engines: fasterOfWasmEngines, ratio: 1.2 }] },
  { issue: 10, engine: "cnnc-wasm", workload: "w2", cell: { kind: "infer", batch: 1 }, versus: [{ engines: fasterOfWasmEngines, ratio: 1 }], minWasmPeakFraction: 0.6 },
  { issue: 10, engine: "cnnc-wasm", workload: "w2", cell: { kind: "infer", batch: 32 }, versus: [{ engines: fasterOfWasmEngines, ratio: 1 }], minWasmPeakFraction: 0.6 },
  { issue: 10, engine: "cnnc-wasm", workload: "w1", cell: { kind: "train", batch: 32 }, versus: [{ engines: ["cnnc"], ratio: 5 }, { engines: ["convnetjs"], ratio: 40 }] },
  { issue: 10, engine: "cnnc-wasm", workload: "w2", cell: { kind: "train", batch: 32 }, versus: [{ engines: ["cnnc"], ratio: 5 }], minWasmPeakFraction: 0.4 },
];

/** Compile-time targets in seconds, checked against the first compile() of the run, per target. */
export const compileTargets: Readonly<Record<string, number>> = { w1: 1, w2: 2 };
export const wasmCompileTargets: Readonly<Record<string, number>> = { w1: 1.5, w2: 3 };

/** Wall-clock rounds, as the issue defines samples/s, or CPU-time rounds, steadier on a busy host. */
export type Basis = "wall" | "cpu";

export interface TargetResult {
  /** the engine's median samples/s, null when it was not measured */
  readonly value: number | null;
  /** per `versus` entry: the median per-round ratio to the fastest of its engines (null: none measured) */
  readonly ratios: readonly (number | null)[];
  /** the median's GFLOP/s over the best peak round, when the target asks for it and a peak was measured */
  readonly peakFraction: number | null;
  readonly met: boolean | null;
}

/**
 * `wasmPeak` is the run's best WebAssembly SIMD round on the same basis. A comparison engine that
 * was not measured leaves its ratio unknown and does not fail the target; the value alone decides.
 */
export function checkSpeedTarget(target: SpeedTarget, workload: WorkloadResult | undefined, basis: Basis = "wall", wasmPeak: number | null = null): TargetResult {
  const own = roundsOf(workload, target.engine, target.cell, basis);
  if (!own) return { value: null, ratios: (target.versus ?? []).map(() => null), peakFraction: null, met: null };
  const value = median(own);
  const ratios = (target.versus ?? []).map((v) => ratioToFastest(own, v.engines.map((e) => roundsOf(workload, e, target.cell, basis))));
  const ratiosMet = (target.versus ?? []).every((v, i) => ratios[i] === null || ratios[i]! >= v.ratio);
  const flopsPerSample = (workload?.flops ?? 0) * (target.cell.kind === "train" ? 3 : 1);
  const peakFraction = target.minWasmPeakFraction !== undefined && wasmPeak ? (value * flopsPerSample) / 1e9 / wasmPeak : null;
  const peakMet = target.minWasmPeakFraction === undefined || peakFraction === null || peakFraction >= target.minWasmPeakFraction;
  return { value, ratios, peakFraction, met: value >= (target.minSamplesPerSecond ?? 0) && ratiosMet && peakMet };
}

// The fastest engine gives the smallest ratio, so it is the one the target must beat.
function ratioToFastest(own: number[], others: readonly (number[] | null)[]): number | null {
  const ratios = others.flatMap((rounds) => (rounds ? [pairedRatio(own, rounds)] : []));
  return ratios.length > 0 ? Math.min(...ratios) : null;
}

export function findWorkload(run: RunResult, id: string): WorkloadResult | undefined {
  return run.workloads.find((w) => w.id === id);
}

export function roundsOf(workload: WorkloadResult | undefined, engine: string, cell: Cell, basis: Basis): number[] | null {
  const outcome: CellOutcome | undefined = workload?.engines.find((e) => e.name === engine)?.cells[cellKey(cell)];
  if (outcome?.status !== "measured") return null;
  const rounds = basis === "wall" ? outcome.rounds : outcome.cpuRounds;
  return rounds.length > 0 ? rounds : null;
}
