// Timing one cell: call the work repeatedly until a time budget is spent (always at least once),
// so fast engines get many samples and slow ones do not blow the run's time limit.

export interface Timed {
  readonly calls: number;
  readonly seconds: number;
}

export function now(): number {
  return performance.now() / 1000;
}

export function runForBudget(work: () => void, budgetSeconds: number): Timed {
  const start = now();
  let calls = 0;
  let elapsed = 0;
  do {
    work();
    calls++;
    elapsed = now() - start;
  } while (elapsed < budgetSeconds);
  return { calls, seconds: elapsed };
}

/** Samples per second of a cell that processes `batch` samples per call. */
export function samplesPerSecond(timed: Timed, batch: number): number {
  return (timed.calls * batch) / timed.seconds;
}
