// The timed part of a workload: warm-up, then interleaved rounds (every cell runs engine A, B, C,
// D in turn, round after round), each timed call repeated until the time budget is spent.
import type { Engine } from "./engines/engine.js";
import { messageOf } from "./agree.js";
import { cellKey, cells, type Cell, type CellOutcome, type RunSettings } from "./results.js";
import { rates, runForBudget, runForBudgetAsync, type Timed } from "./timing.js";

export interface Contender {
  readonly engine: Engine;
  /** a cell that is decided before timing (fails, disagrees) has its outcome here */
  readonly verdicts: Partial<Record<"train" | "infer", CellOutcome>>;
  /** seconds per sample seen in the agreement check, per kind */
  readonly secondsPerSample: Record<"train" | "infer", number>;
}

export interface Workbench {
  readonly xs: Float32Array;
  readonly labels: Int32Array;
}

type Outcomes = Map<Engine, Record<string, CellOutcome>>;

const longCallSeconds = 5;

export async function measureWorkload(contenders: readonly Contender[], bench: Workbench, settings: RunSettings, eachRound: () => void): Promise<Outcomes> {
  const outcomes = initialOutcomes(contenders);
  const estimates = new Map(contenders.map((c) => [c.engine, { ...c.secondsPerSample }]));
  // Warm-up, and the last chance to leave out a cell too slow to time: batch 1 runs before batch 32,
  // so the larger batch is judged on a warm measurement of the smaller one.
  await forEachTimed(contenders, outcomes, async (contender, cell) => {
    const estimate = estimates.get(contender.engine) ?? contender.secondsPerSample;
    const callSeconds = estimate[cell.kind] * cell.batch;
    if (callSeconds > settings.maxCallSeconds) return { status: "too-slow", estimate: cell.batch / callSeconds, callSeconds };
    // A call that long is not worth repeating to warm up: batch 1 already ran the same code.
    if (cell.batch > 1 && callSeconds > longCallSeconds) return undefined;
    estimate[cell.kind] = (await runCell(contender.engine, cell, bench, settings.warmupSeconds)).callSeconds / cell.batch;
    return undefined;
  });
  for (let round = 0; round < settings.rounds; round++) {
    eachRound();
    await forEachTimed(contenders, outcomes, async (contender, cell, measured) => {
      const { wall, cpu } = await runCell(contender.engine, cell, bench, settings.budgetSeconds);
      measured.rounds.push(wall);
      measured.cpuRounds.push(cpu);
      return undefined;
    });
  }
  return outcomes;
}

/** Cells decided by the agreement check keep its verdict; every other cell starts out to be timed. */
export function initialOutcomes(contenders: readonly Contender[]): Outcomes {
  const outcomes: Outcomes = new Map();
  for (const contender of contenders) {
    const record: Record<string, CellOutcome> = {};
    for (const cell of cells) record[cellKey(cell)] = contender.verdicts[cell.kind] ?? { status: "measured", rounds: [], cpuRounds: [] };
    outcomes.set(contender.engine, record);
  }
  return outcomes;
}

// A visit may settle the cell for good by returning its outcome.
type Measured = Extract<CellOutcome, { status: "measured" }>;
type Visit = (contender: Contender, cell: Cell, measured: Measured) => Promise<CellOutcome | undefined>;

// Cell-major, engine-minor: the engines of one cell run back to back, so they share the host's mood.
async function forEachTimed(contenders: readonly Contender[], outcomes: Outcomes, visit: Visit): Promise<void> {
  for (const cell of cells) {
    for (const contender of contenders) {
      const record = outcomes.get(contender.engine);
      const outcome = record?.[cellKey(cell)];
      if (!record || outcome?.status !== "measured") continue;
      await contender.engine.activate();
      try {
        const settled = await visit(contender, cell, outcome);
        if (settled) record[cellKey(cell)] = settled;
      } catch (error) {
        record[cellKey(cell)] = { status: "fails", reason: messageOf(error) };
      }
    }
  }
}

async function runCell(engine: Engine, cell: Cell, bench: Workbench, budgetSeconds: number): Promise<{ wall: number; cpu: number; callSeconds: number }> {
  const n = cell.batch;
  // Successive calls take successive batches of the workbench's samples (at batch 1, each of
  // them in turn): one input over and over would let the CPU's branch predictor learn it, which
  // no real use does (a ReLU network ran 20% faster on a repeated sample).
  const batches = Math.max(1, Math.floor(bench.labels.length / n));
  const size = bench.xs.length / bench.labels.length;
  const inputs = Array.from({ length: batches }, (_, b) => ({
    xs: bench.xs.subarray(b * n * size, (b + 1) * n * size),
    labels: bench.labels.subarray(b * n, (b + 1) * n),
  }));
  let next = 0;
  const batch = (): { xs: Float32Array; labels: Int32Array } => inputs[next++ % batches]!;
  let timed: Timed;
  if (cell.kind === "infer" && engine.asynchronous) timed = await runForBudgetAsync(async () => void (await engine.predictBatch(batch().xs, n)), budgetSeconds);
  else {
    const work =
      cell.kind === "train"
        ? () => { const { xs, labels } = batch(); engine.trainBatch(xs, labels, n); }
        : () => void engine.predictBatch(batch().xs, n);
    timed = runForBudget(work, budgetSeconds);
  }
  // The warmest estimate of one call is the last, unless the host preempted just that one: then
  // the mean of the cell's calls (on a loaded host one 0.1 s stall of a 50 us call ruled a cell out).
  return { ...rates(timed, n), callSeconds: Math.min(timed.lastCallSeconds, timed.seconds / timed.calls) };
}
