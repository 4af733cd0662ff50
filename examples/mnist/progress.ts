// A live progress bar per epoch (samples/s, running loss, elapsed, ETA), then one summary line.
import { SingleBar } from "cli-progress";
import type { BatchLog, EpochLog } from "./model.js";
import { formatEpoch } from "./report.js";

export interface ProgressHooks {
  readonly onBatch: (log: BatchLog) => void;
  readonly onEpoch: (log: EpochLog) => void;
}

export function progressHooks(samplesPerEpoch: number, epochs: number): ProgressHooks {
  let bar: SingleBar | null = null;
  const onBatch = (log: BatchLog): void => {
    if (bar === null) {
      bar = createBar();
      bar.start(samplesPerEpoch, 0, barPayload(log));
    }
    bar.update(log.samples, barPayload(log));
  };
  const onEpoch = (log: EpochLog): void => {
    bar?.stop();
    bar = null;
    console.log(formatEpoch(log, epochs));
  };
  return { onBatch, onEpoch };
}

function createBar(): SingleBar {
  return new SingleBar({
    format:
      "epoch {epoch} [{bar}] {value}/{total} | {speed} samples/s | loss {loss} | acc {accuracy} | {duration_formatted} | ETA {eta_formatted}",
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    // ETA from the mean speed over the epoch, which is steady after the first batches
    etaBuffer: 50,
  });
}

function barPayload(log: BatchLog): Record<string, string> {
  return {
    epoch: `${log.epoch}/${log.epochs}`,
    speed: Math.round(log.samplesPerSecond).toLocaleString("en-US"),
    loss: log.loss.toFixed(4),
    accuracy: `${(log.accuracy * 100).toFixed(1)}%`,
  };
}
