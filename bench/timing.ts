// Timing one cell: call the work repeatedly until a time budget is spent (always at least once),
// so fast engines get many samples and slow ones do not blow the run's time limit.

export interface Timed {
  readonly calls: number;
  /** wall-clock seconds */
  readonly seconds: number;
  /** CPU seconds of this process: on a shared host, what the work cost without the waiting */
  readonly cpuSeconds: number;
  /** wall-clock seconds of the last call alone: the warmest estimate of one call's cost */
  readonly lastCallSeconds: number;
}

export function now(): number {
  return performance.now() / 1000;
}

export function cpuNow(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export function runForBudget(work: () => void, budgetSeconds: number): Timed {
  const start = now();
  const cpuStart = cpuNow();
  let calls = 0;
  let elapsed = 0;
  let lastCallSeconds = 0;
  do {
    const before = elapsed;
    work();
    calls++;
    elapsed = now() - start;
    lastCallSeconds = elapsed - before;
  } while (elapsed < budgetSeconds);
  return { calls, seconds: elapsed, cpuSeconds: cpuNow() - cpuStart, lastCallSeconds };
}

/** The same loop for work that returns a promise: each call is awaited before the next starts. */
export async function runForBudgetAsync(work: () => Promise<unknown>, budgetSeconds: number): Promise<Timed> {
  const start = now();
  const cpuStart = cpuNow();
  let calls = 0;
  let elapsed = 0;
  let lastCallSeconds = 0;
  do {
    const before = elapsed;
    await work();
    calls++;
    elapsed = now() - start;
    lastCallSeconds = elapsed - before;
  } while (elapsed < budgetSeconds);
  return { calls, seconds: elapsed, cpuSeconds: cpuNow() - cpuStart, lastCallSeconds };
}

/** Samples per wall-clock second and per CPU second of a cell that processes `batch` samples per call. */
export function rates(timed: Timed, batch: number): { wall: number; cpu: number } {
  return { wall: (timed.calls * batch) / timed.seconds, cpu: (timed.calls * batch) / timed.cpuSeconds };
}
