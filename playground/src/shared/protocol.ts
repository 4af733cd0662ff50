// The messages between the page and its two workers. Plain data only: everything here goes
// through postMessage's structured clone.
import type { JsonDiagnostic } from "../../../src/diagnostics/json.js";
import type { ModelSummary } from "../../../src/cli/summary.js";

export type { JsonDiagnostic, ModelSummary };

/** What the page asks the analysis worker: run analyze() on this text. */
export interface AnalyzeRequest {
  readonly id: number;
  readonly source: string;
}

export interface AnalyzeResponse {
  readonly id: number;
  readonly diagnostics: JsonDiagnostic[];
  /** absent when the program has an error */
  readonly models?: ModelSummary[];
  /** per model, in order: whether it has a train section */
  readonly trainable?: boolean[];
  /** analyze() alone, in the worker */
  readonly milliseconds: number;
}

export interface TrainSettings {
  /** the first `trainCount` of the 8,000 training digits */
  readonly trainCount: number;
  /** the first `testCount` of the 2,000 held-out digits */
  readonly testCount: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
}

export type TrainerRequest =
  | { readonly kind: "compile"; readonly source: string; readonly model: string }
  /** the readable build of a program, to show (the tuned one is what runs) */
  | { readonly kind: "readable"; readonly source: string }
  | { readonly kind: "train"; readonly settings: TrainSettings; readonly stop: SharedArrayBuffer | null }
  | { readonly kind: "predict"; readonly pixels: Float32Array }
  | { readonly kind: "weights" };

export interface BatchPoint {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** samples seen since training started, over every epoch */
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
}

export interface TestPoint {
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number;
}

export type TrainerResponse =
  | {
      readonly kind: "compiled";
      readonly code: string;
      readonly javascript: string;
      readonly className: string;
      readonly compileMilliseconds: number;
      readonly transpileMilliseconds: number;
    }
  | { readonly kind: "compile-failed"; readonly diagnostics: JsonDiagnostic[] }
  | { readonly kind: "readable"; readonly source: string; readonly code: string }
  | { readonly kind: "data"; readonly train: number; readonly test: number }
  | { readonly kind: "batch"; readonly point: BatchPoint }
  /** a quick test-set probe during an epoch, and the full test set at each epoch's end */
  | { readonly kind: "test"; readonly point: TestPoint; readonly epochEnd: boolean }
  | { readonly kind: "epoch"; readonly epoch: number; readonly samples: number; readonly loss: number; readonly accuracy: number }
  | {
      readonly kind: "trained";
      readonly stopped: boolean;
      readonly testAccuracy: number;
      readonly testLoss: number;
      /** rows: true digit, columns: predicted digit */
      readonly confusion: number[][];
      readonly samplesPerSecond: number;
    }
  | { readonly kind: "prediction"; readonly probabilities: number[] }
  | { readonly kind: "weights"; readonly bytes: Uint8Array<ArrayBuffer>; readonly className: string }
  | { readonly kind: "error"; readonly message: string };
