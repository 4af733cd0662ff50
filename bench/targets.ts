// Issue 4's targets for cnnc, checked against a run: the table at the end of RESULTS.md.
import { cellKey, type Cell, type CellOutcome, type RunResult, type WorkloadResult } from "./results.js";
import { median, pairedRatio } from "./stats.js";

export interface SpeedTarget {
  readonly workload: string;
  readonly cell: Cell;
  readonly minSamplesPerSecond: number;
  /** cnnc must also be this many times faster than that engine in the same rounds */
  readonly versus?: { readonly engine: string; readonly ratio: number };
}

export const speedTargets: readonly SpeedTarget[] = [
  { workload: "w1", cell: { kind: "train", batch: 32 }, minSamplesPerSecond: 1500, versus: { engine: "convnetjs", ratio: 8 } },
  { workload: "w1", cell: { kind: "train", batch: 1 }, minSamplesPerSecond: 1200 },
  { workload: "w1", cell: { kind: "infer", batch: 1 }, minSamplesPerSecond: 4000, versus: { engine: "tfjs-wasm", ratio: 2 } },
  { workload: "w1", cell: { kind: "infer", batch: 32 }, minSamplesPerSecond: 5000 },
  { workload: "w2", cell: { kind: "train", batch: 32 }, minSamplesPerSecond: 15, versus: { engine: "convnetjs", ratio: 5 } },
  { workload: "w2", cell: { kind: "infer", batch: 32 }, minSamplesPerSecond: 50 },
];

/** Compile-time targets in seconds, checked against the first compile() of the run. */
export const compileTargets: Readonly<Record<string, number>> = { w1: 1, w2: 2 };

export interface TargetCheck {
  readonly label: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | null;
}

/** Wall-clock rounds, as the issue defines samples/s, or CPU-time rounds, steadier on a busy host. */
export type Basis = "wall" | "cpu";

export function checkSpeedTarget(target: SpeedTarget, workload: WorkloadResult | undefined, basis: Basis = "wall"): { value: number | null; ratio: number | null; met: boolean | null } {
  const cnnc = roundsOf(workload, "cnnc", target.cell, basis);
  if (!cnnc) return { value: null, ratio: null, met: null };
  const value = median(cnnc);
  const other = target.versus ? roundsOf(workload, target.versus.engine, target.cell, basis) : null;
  const ratio = other ? pairedRatio(cnnc, other) : null;
  const ratioMet = !target.versus || ratio === null || ratio >= target.versus.ratio;
  return { value, ratio, met: value >= target.minSamplesPerSecond && ratioMet };
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
