// Before anything is timed: every engine, holding the same weights, must produce the reference's
// output on the same inputs, and again after one training step on the same batch.
import type { Engine } from "./engines/engine.js";
import type { Agreement } from "./results.js";
import { maxAbsDiff } from "./stats.js";
import { now } from "./timing.js";

export const tolerance = 1e-4;

/** What one engine did on the check batch. */
export interface Probe {
  readonly forward: ArrayLike<number> | null;
  readonly forwardError: string | null;
  readonly step: ArrayLike<number> | null;
  readonly loss: number | null;
  readonly trainError: string | null;
  /** the step was not tried: even one sample would outlast the run's per-call limit */
  readonly trainSkipped: boolean;
  /** seconds per sample of the check calls, the first estimate of each cell's cost */
  readonly inferSeconds: number;
  readonly trainSeconds: number;
}

/**
 * Forward on n samples, one training step on them, forward again. With `maxTrainSeconds`, the step
 * is skipped when training one sample, estimated as three forward passes, would take longer.
 */
export async function probeEngine(engine: Engine, xs: Float32Array, labels: Int32Array, n: number, maxTrainSeconds: number | null): Promise<Probe> {
  await engine.activate();
  let start = now();
  let forward: ArrayLike<number>;
  try {
    forward = Array.from(await engine.predictBatch(xs, n));
  } catch (error) {
    return { forward: null, forwardError: messageOf(error), step: null, loss: null, trainError: null, trainSkipped: false, inferSeconds: Number.NaN, trainSeconds: Number.NaN };
  }
  const inferSeconds = (now() - start) / n;
  if (maxTrainSeconds !== null && 3 * inferSeconds > maxTrainSeconds) {
    return { forward, forwardError: null, step: null, loss: null, trainError: null, trainSkipped: true, inferSeconds, trainSeconds: 3 * inferSeconds };
  }
  start = now();
  try {
    const loss = engine.trainBatch(xs, labels, n);
    const trainSeconds = (now() - start) / n;
    return { forward, forwardError: null, step: Array.from(await engine.predictBatch(xs, n)), loss, trainError: null, trainSkipped: false, inferSeconds, trainSeconds };
  } catch (error) {
    return { forward, forwardError: null, step: null, loss: null, trainError: messageOf(error), trainSkipped: false, inferSeconds, trainSeconds: Number.NaN };
  }
}

export function compareToReference(referenceName: string, reference: Probe, probe: Probe): Agreement {
  const diff = (a: ArrayLike<number> | null, b: ArrayLike<number> | null) => (a && b ? maxAbsDiff(a, b) : null);
  const lossDiff = reference.loss !== null && probe.loss !== null ? Math.abs(reference.loss - probe.loss) : null;
  return {
    reference: referenceName,
    forwardDiff: diff(reference.forward, probe.forward) ?? Number.POSITIVE_INFINITY,
    stepDiff: diff(reference.step, probe.step),
    loss: probe.loss,
    lossDiff: lossDiff !== null && Number.isNaN(lossDiff) ? Number.POSITIVE_INFINITY : lossDiff,
    forwardError: probe.forwardError,
    trainError: probe.trainError,
    trainSkipped: probe.trainSkipped,
  };
}

export function forwardAgrees(a: Agreement): boolean {
  return a.forwardError === null && a.forwardDiff <= tolerance;
}

/** A missing step difference means the reference could not train: nothing to disagree with. */
export function trainingAgrees(a: Agreement): boolean {
  if (!forwardAgrees(a) || a.trainError !== null || a.trainSkipped) return false;
  const stepOk = a.stepDiff === null || a.stepDiff <= tolerance;
  const lossOk = a.lossDiff === null || a.lossDiff <= tolerance * Math.max(1, Math.abs(a.loss ?? 0));
  return stepOk && lossOk;
}

export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
