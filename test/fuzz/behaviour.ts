// A model written with any names, and what its compiled class does: predictions, loss, gradients,
// one training step, evaluation and weights, so two spellings of one model can be compared.

/** The names one model uses; `plainNames` is the harmless spelling of the same model. */
export interface ModelNames {
  readonly model: string;
  readonly input: string;
  /** bound tensors */
  readonly t1: string;
  readonly t2: string;
  readonly t3: string;
  readonly t4: string;
  readonly t5: string;
  /** `as` layer names */
  readonly l1: string;
  readonly l2: string;
  readonly l3: string;
}

export const plainNames: ModelNames = { model: "M", input: "x", t1: "b", t2: "c", t3: "d", t4: "e", t5: "f", l1: "g", l2: "h", l3: "k" };

export const tensorAndLayerKeys = ["input", "t1", "t2", "t3", "t4", "t5", "l1", "l2", "l3"] as const;

/** Every kind of naming site: input, bindings, `as` on a layer and on add, add's and the loss's arguments, output. */
export function modelSource(n: ModelNames): string {
  return `model ${n.model} {
  input ${n.input}: [5, 5, 2]
  ${n.t1} = ${n.input} |> conv2d(3, kernel: 3, padding: same) as ${n.l1} |> relu
  ${n.t2} = ${n.t1} |> conv2d(3, kernel: 1) |> relu
  ${n.t3} = add(${n.t1}, ${n.t2}) as ${n.l3} |> maxpool(2, padding: same) |> flatten
  ${n.t4} = ${n.t3} |> dense(6) as ${n.l2} |> tanh |> dense(4) |> dropout(0.25)
  output ${n.t5} = ${n.t4} |> softmax
  train {
    loss softmax_cross_entropy(${n.t4})
    optimizer adam(lr: 0.01)
  }
}
`;
}

/** The parameter names LANGUAGE.md gives this model, in declaration order. */
export function parameterNames(n: ModelNames): string[] {
  return [
    `${n.l1}.kernel`,
    `${n.l1}.bias`,
    `${n.t2}.kernel`,
    `${n.t2}.bias`,
    `${n.l2}.kernel`,
    `${n.l2}.bias`,
    `${n.t4}.dense2.kernel`,
    `${n.t4}.dense2.bias`,
  ];
}

export interface Behaviour {
  readonly predictions: number[];
  readonly loss: number;
  readonly gradients: number[][];
  readonly lossAfterStep: number;
  readonly evaluation: { loss: number; accuracy: number };
  readonly weights: number[][];
  /** after setWeights(getWeights()) and loadWeights(saveWeights()) */
  readonly roundTripPredictions: number[];
  /** loss per epoch of fit(), times left out */
  readonly fitLosses: number[];
}

const batch = 3;

/** Deterministic inputs in [-1, 1). */
function inputs(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 12.9898) * 0.999);
}

/** Runs the generated class through its public API; the values depend only on what it computes. */
export function behaviour(Model: any): Behaviour {
  const model = new Model({ seed: 7 });
  const xs = inputs(Model.inputSize * batch);
  const labels = Int32Array.from({ length: batch }, (_, i) => i % Model.outputSize);
  const predictions = [...model.predictBatch(xs, batch)] as number[];
  const loss = model.computeGradients(xs, labels, batch) as number;
  const gradients = model.getGradients().map((g: { data: Float32Array }) => [...g.data]);
  model.trainBatch(xs, labels, batch);
  const lossAfterStep = model.trainBatch(xs, labels, batch) as number;
  const evaluation = model.evaluate(xs, labels, batch);
  const weights = model.getWeights().map((w: { data: Float32Array }) => [...w.data]);
  // the methods that refer to the class by name
  model.setWeights(model.getWeights());
  model.loadWeights(model.saveWeights());
  const roundTripPredictions = [...model.predictBatch(xs, batch)] as number[];
  const history = model.fit(xs, labels, batch, { epochs: 2, batchSize: 2, seed: 3, validation: { xs, targets: labels, n: batch } }).history;
  const fitLosses = history.map((h: { loss: number; valLoss: number }) => [h.loss, h.valLoss]).flat() as number[];
  return { predictions, loss, gradients, lossAfterStep, evaluation, weights, roundTripPredictions, fitLosses };
}

/** A small trained model, for tests where only the model's name varies. */
export function tinySource(model: string): string {
  return `model ${model} {
  input x: [3]
  y = x |> dense(4) |> relu |> dense(2)
  train {
    loss softmax_cross_entropy(y)
    optimizer sgd(lr: 0.1, momentum: 0.9)
  }
}
`;
}
