// The one interface every engine of the benchmark implements: same architecture, same initial
// weights, same data; the harness only ever talks to engines through it.
import type { Arch, NamedTensor, SgdSpec } from "../arch.js";

export interface ModelSpec {
  readonly arch: Arch;
  readonly optimizer: SgdSpec;
}

export interface Engine {
  /** the row label in the results: "cnnc", "tfjs-cpu", ... */
  readonly name: string;
  /** predictBatch returns a promise (ONNX Runtime's API is asynchronous only); the timing loop
   *  then awaits each call, and only for this engine, so the others pay nothing for it */
  readonly asynchronous?: boolean;
  /** build the model and copy in the initial weights (Keras layouts, declaration order) */
  setup(weights: readonly NamedTensor[]): Promise<void>;
  /** called before this engine runs a cell (tfjs: select its backend) */
  activate(): Promise<void>;
  /** forward, backward, one optimizer step over n samples (HWC, back to back); mean loss */
  trainBatch(xs: Float32Array, labels: Int32Array, n: number): number;
  /** the softmax output of n samples, n * classes values (a promise of it when `asynchronous`) */
  predictBatch(xs: Float32Array, n: number): ArrayLike<number> | Promise<ArrayLike<number>>;
  dispose(): void;
}

export type EngineFactory = (spec: ModelSpec) => Engine;
