// The compile worker's client: one worker that compiles, trains and predicts, restarted when a
// stop has to interrupt it and the page is not cross-origin isolated (no SharedArrayBuffer).
import type { TrainerRequest, TrainerResponse } from "../shared/protocol.js";

export class Trainer {
  private worker!: Worker;
  private stopFlag: Int32Array | null = null;

  constructor(private readonly onMessage: (message: TrainerResponse) => void) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL("train.js", import.meta.url), { type: "module" });
    this.worker.onmessage = (event: MessageEvent<TrainerResponse>) => this.onMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.onMessage({ kind: "error", message: `the compile worker failed: ${event.message}` });
    };
  }

  post(request: Exclude<TrainerRequest, { kind: "train" }>): void {
    this.worker.postMessage(request);
  }

  train(settings: Extract<TrainerRequest, { kind: "train" }>["settings"]): void {
    // fit() keeps the worker busy, so a stop cannot arrive as a message: it is a shared flag
    // that the worker reads after every batch.
    const stop = crossOriginIsolated ? new SharedArrayBuffer(4) : null;
    this.stopFlag = stop === null ? null : new Int32Array(stop);
    this.worker.postMessage({ kind: "train", settings, stop } satisfies TrainerRequest);
  }

  /** True when the run will end with its weights kept; false when the worker had to be restarted. */
  stop(): boolean {
    if (this.stopFlag !== null) {
      Atomics.store(this.stopFlag, 0, 1);
      return true;
    }
    this.worker.terminate();
    this.start();
    return false;
  }
}
