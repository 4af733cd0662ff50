// `fit`: the Keras-style training loop spliced into every generated class that has a train
// section. Seeded shuffling, mini-batches gathered into buffers allocated once per call,
// running loss/accuracy, optional validation after each epoch, callbacks, history.
// The method bodies are fixed text; only numbers (through JSON.stringify) vary per model.
import { Scope, StructureKind, type ClassMemberStructures, type MethodDeclarationStructure } from "ts-morph";
import type { RuntimeContext } from "./types.js";
import { randomMember, randomMethodName } from "./prng.js";

/** The type texts the fit members share, chosen from fixed alternatives (never user text). */
interface FitTypes {
  readonly array: "Float32Array" | "Float64Array";
  readonly targets: string;
  readonly batchLog: string;
  readonly epochLog: string;
  readonly options: string;
  readonly classIndices: boolean;
  readonly classification: boolean;
}

export function fitMembers(ctx: RuntimeContext): ClassMemberStructures[] {
  if (ctx.train === null) return [];
  const types = fitTypes(ctx.array, ctx.train.loss === "softmax_cross_entropy", ctx.train.classification);
  return [fitMethod(ctx, types), checkCountMethod(), checkDataMethod(ctx, types), shuffleMethod(), randomMember()];
}

function fitTypes(array: FitTypes["array"], classIndices: boolean, classification: boolean): FitTypes {
  const floats = "Float32Array | Float64Array";
  const targets = classIndices ? `Int32Array | Uint8Array | ${floats}` : floats;
  const accuracy = classification ? " accuracy: number;" : "";
  const batchLog =
    `{ epoch: number; epochs: number; batch: number; batches: number; samples: number; loss: number;${accuracy}` +
    " samplesPerSecond: number; elapsedSeconds: number }";
  const valAccuracy = classification ? " valAccuracy?: number;" : "";
  const epochLog =
    `{ epoch: number; loss: number;${accuracy} valLoss?: number;${valAccuracy}` + " samplesPerSecond: number; seconds: number }";
  const options =
    "{ epochs?: number; batchSize?: number; shuffle?: boolean; seed?: number;" +
    ` validation?: { xs: ArrayLike<number>; targets: ${targets}; n: number };` +
    ` onBatch?: (log: ${batchLog}) => void; onEpoch?: (log: ${epochLog}) => void }`;
  return { array, targets, batchLog, epochLog, options, classIndices, classification };
}

function fitMethod(ctx: RuntimeContext, t: FitTypes): MethodDeclarationStructure {
  return {
    kind: StructureKind.Method,
    name: "fit",
    docs: [
      "Trains for `epochs` passes over (xs, targets) in seeded, shuffled mini-batches (the last one may be smaller);\n" +
        "evaluates `validation` after each epoch. `epoch` and `batch` in the logs count from 1; loss and accuracy\n" +
        "in a batch log are running means over the epoch so far; an epoch's samplesPerSecond counts training only, its\n" +
        "seconds include validation. Same seed and same initial weights give the same history.",
    ],
    parameters: [
      { kind: StructureKind.Parameter, name: "xs", type: "ArrayLike<number>" },
      { kind: StructureKind.Parameter, name: "targets", type: t.targets },
      { kind: StructureKind.Parameter, name: "n", type: "number" },
      { kind: StructureKind.Parameter, name: "options", type: t.options, initializer: "{}" },
    ],
    returnType: `{ history: ${t.epochLog}[] }`,
    statements: fitBody(ctx, t),
  };
}

function fitBody(ctx: RuntimeContext, t: FitTypes): string {
  const inputSize = JSON.stringify(ctx.inputSize);
  // the loss reads its targets against the tensor it is defined on, which need not be the output
  const targetSize = JSON.stringify(targetSizeOf(ctx));
  const accuracyField = t.classification ? " accuracy: correct / seen," : "";
  const epochAccuracy = t.classification ? " accuracy: correct / n," : "";
  const valAccuracy = t.classification ? " log.valAccuracy = val.accuracy;" : "";
  // The core class counts correct predictions while it trains a batch, so accuracy costs no extra pass.
  const countCorrect = t.classification ? "correct += this.lastBatchHits;" : "";
  const targetBuffer = t.classIndices
    ? `perSample === 1 ? new Int32Array(batchSize) : new ${t.array}(batchSize * ${targetSize})`
    : `new ${t.array}(batchSize * ${targetSize})`;
  return `
const epochs = options.epochs ?? 1;
const shuffle = options.shuffle ?? true;
const seed = options.seed ?? 0;
this.fitCheckCount("n", n, 1);
this.fitCheckCount("epochs", epochs, 1);
this.fitCheckCount("batchSize", options.batchSize ?? 32, 1);
if (!Number.isInteger(seed)) throw new RangeError(\`fit: seed must be an integer, got \${seed}\`);
this.fitCheckData("", xs, targets, n);
const validation = options.validation;
if (validation !== undefined) {
  this.fitCheckCount("validation.n", validation.n, 1);
  this.fitCheckData("validation.", validation.xs, validation.targets, validation.n);
}
// A batch larger than the data set is the whole data set, as in Keras.
const batchSize = Math.min(options.batchSize ?? 32, n);
const batches = Math.ceil(n / batchSize);
const perSample = ${t.classIndices ? `targets instanceof Int32Array || targets instanceof Uint8Array ? 1 : ${targetSize}` : targetSize};
// Every buffer is allocated here, once; the last, smaller batch uses views made here too.
const bx = new ${t.array}(batchSize * ${inputSize});
const bt = ${targetBuffer};
const tail = n - (batches - 1) * batchSize;
const bxTail = tail === batchSize ? bx : bx.subarray(0, tail * ${inputSize});
const btTail = tail === batchSize ? bt : bt.subarray(0, tail * perSample);
const order = new Int32Array(n);
for (let i = 0; i < n; i++) order[i] = i;
const state = new Uint32Array([seed >>> 0]);
const history: ${t.epochLog}[] = [];
this.setTrainingHorizon(epochs * batches);
for (let epoch = 1; epoch <= epochs; epoch++) {
  if (shuffle) this.fitShuffle(order, state);
  const start = Date.now();
  let seen = 0;
  let lossSum = 0;
  ${t.classification ? "let correct = 0;" : ""}
  for (let batch = 1; batch <= batches; batch++) {
    const b = batch === batches ? tail : batchSize;
    for (let i = 0; i < b; i++) {
      const sample = order[seen + i]!;
      const xFrom = sample * ${inputSize};
      const xTo = i * ${inputSize};
      for (let k = 0; k < ${inputSize}; k++) bx[xTo + k] = xs[xFrom + k]!;
      const tFrom = sample * perSample;
      const tTo = i * perSample;
      for (let k = 0; k < perSample; k++) bt[tTo + k] = targets[tFrom + k]!;
    }
    const loss = b === batchSize ? this.trainBatch(bx, bt, b) : this.trainBatch(bxTail, btTail, b);
    lossSum += loss * b;
    ${countCorrect}
    seen += b;
    if (options.onBatch !== undefined) {
      const elapsedSeconds = (Date.now() - start) / 1000;
      const samplesPerSecond = elapsedSeconds > 0 ? seen / elapsedSeconds : 0;
      options.onBatch({ epoch, epochs, batch, batches, samples: seen, loss: lossSum / seen,${accuracyField} samplesPerSecond, elapsedSeconds });
    }
  }
  const trainSeconds = (Date.now() - start) / 1000;
  const log: ${t.epochLog} = { epoch, loss: lossSum / n,${epochAccuracy} samplesPerSecond: trainSeconds > 0 ? n / trainSeconds : 0, seconds: trainSeconds };
  if (validation !== undefined) {
    const val = this.evaluate(validation.xs, validation.targets, validation.n);
    log.valLoss = val.loss;${valAccuracy}
  }
  log.seconds = (Date.now() - start) / 1000;
  history.push(log);
  if (options.onEpoch !== undefined) options.onEpoch(log);
}
return { history };`;
}

function checkCountMethod(): MethodDeclarationStructure {
  return {
    kind: StructureKind.Method,
    name: "fitCheckCount",
    scope: Scope.Private,
    parameters: [
      { kind: StructureKind.Parameter, name: "what", type: "string" },
      { kind: StructureKind.Parameter, name: "value", type: "number" },
      { kind: StructureKind.Parameter, name: "min", type: "number" },
    ],
    returnType: "void",
    statements: [
      "if (!Number.isInteger(value) || value < min) {",
      "  throw new RangeError(`fit: ${what} must be an integer >= ${min}, got ${value}`);",
      "}",
    ],
  };
}

function checkDataMethod(ctx: RuntimeContext, t: FitTypes): MethodDeclarationStructure {
  const inputSize = JSON.stringify(ctx.inputSize);
  // the loss reads its targets against the tensor it is defined on, which need not be the output
  const targetSize = JSON.stringify(targetSizeOf(ctx));
  const indexCheck = t.classIndices
    ? `
if (targets instanceof Int32Array || targets instanceof Uint8Array) {
  if (targets.length !== n) {
    throw new RangeError(\`fit: \${prefix}targets holds \${targets.length} class indices, expected n = \${n}\`);
  }
  for (let i = 0; i < n; i++) {
    const label = targets[i]!;
    if (label < 0 || label >= ${targetSize}) {
      throw new RangeError(\`fit: \${prefix}targets[\${i}] = \${label} is not a class index in [0, ${targetSize})\`);
    }
  }
  return;
}`
    : "";
  // n class indices in a float array is the usual slip: say where they go
  const hint = t.classIndices && targetSizeOf(ctx) > 1 ? `targets.length === n ? "; class indices go in an Int32Array or Uint8Array" : ""` : `""`;
  return {
    kind: StructureKind.Method,
    name: "fitCheckData",
    scope: Scope.Private,
    docs: ["Checks lengths before training starts, so a bad argument fails at once rather than mid-epoch."],
    parameters: [
      { kind: StructureKind.Parameter, name: "prefix", type: "string" },
      { kind: StructureKind.Parameter, name: "xs", type: "ArrayLike<number>" },
      { kind: StructureKind.Parameter, name: "targets", type: t.targets },
      { kind: StructureKind.Parameter, name: "n", type: "number" },
    ],
    returnType: "void",
    statements: `
if (xs.length !== n * ${inputSize}) {
  throw new RangeError(\`fit: \${prefix}xs has length \${xs.length}, expected n * ${ctx.inputSize} = \${n * ${inputSize}}\`);
}
// named by the caller's sample index here, before shuffling; trainBatch checks each batch again
for (let i = 0; i < xs.length; i++) {
  const v = xs[i]!;
  if (!Number.isFinite(v)) {
    throw new RangeError(\`fit: \${prefix}xs[\${i}] = \${v} (sample \${Math.floor(i / ${inputSize})}, index \${i % ${inputSize}}) is not finite\`);
  }
}${indexCheck}
if (targets.length !== n * ${targetSize}) {
  const hint = ${hint};
  throw new RangeError(\`fit: \${prefix}targets has length \${targets.length}, expected n * ${targetSize} = \${n * ${targetSize}}\${hint}\`);
}`,
  };
}

function shuffleMethod(): MethodDeclarationStructure {
  return {
    kind: StructureKind.Method,
    name: "fitShuffle",
    scope: Scope.Private,
    docs: ["Fisher-Yates with the seeded generator: the same state gives the same permutation on every platform."],
    parameters: [
      { kind: StructureKind.Parameter, name: "order", type: "Int32Array" },
      { kind: StructureKind.Parameter, name: "state", type: "Uint32Array" },
    ],
    returnType: "void",
    statements: `
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor((this.${randomMethodName}(state) / 4294967296) * (i + 1));
  const swap = order[i]!;
  order[i] = order[j]!;
  order[j] = swap;
}`,
  };
}

function targetSizeOf(ctx: RuntimeContext): number {
  if (ctx.train === null) throw new Error("internal: fit() on a model without training");
  return ctx.train.targetSize;
}
