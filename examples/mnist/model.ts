// The part of a generated classifier module that the MNIST job uses, so the scripts type-check
// against any compiled model with a train section, whatever its name.

export interface BatchLog {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly samples: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
  readonly elapsedSeconds: number;
}

export interface EpochLog {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly samplesPerSecond: number;
  readonly seconds: number;
}

export interface FitOptions {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly shuffle?: boolean;
  readonly seed?: number;
  readonly validation?: { xs: ArrayLike<number>; targets: Uint8Array; n: number };
  readonly onBatch?: (log: BatchLog) => void;
  readonly onEpoch?: (log: EpochLog) => void;
}

export interface Classifier {
  learningRate: number;
  fit(xs: ArrayLike<number>, targets: Uint8Array, n: number, options?: FitOptions): { history: EpochLog[] };
  evaluate(xs: ArrayLike<number>, targets: Uint8Array, n: number): { loss: number; accuracy: number };
  predictBatch(xs: ArrayLike<number>, n: number): Float32Array | Float64Array;
  saveWeights(): Uint8Array;
  loadWeights(bytes: Uint8Array): void;
}

export interface ClassifierClass {
  new (options?: { seed?: number }): Classifier;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly paramCount: number;
}
