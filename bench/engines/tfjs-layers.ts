// A TensorFlow.js layers model of the benchmark network, on whichever backend the caller names.
// Training is optimizer.minimize over softmax cross-entropy on the logits, the same step cnnc takes.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { inputSize, outputSize, type Arch, type LayerDef, type NamedTensor, type SgdSpec } from "../arch.js";
import type { Engine, ModelSpec } from "./engine.js";

export function createTfjsEngine(name: string, backend: string, spec: ModelSpec): Engine {
  const { arch } = spec;
  const [h, w, c] = arch.inputShape;
  const size = inputSize(arch);
  const classes = outputSize(arch);
  let model: tfl.Sequential | undefined;
  let optimizer: tf.Optimizer | undefined;

  function built(): tfl.Sequential {
    if (!model) throw new Error(`${name}: setup() was not called`);
    return model;
  }

  return {
    name,
    async setup(weights: readonly NamedTensor[]) {
      await selectBackend(backend);
      model = buildModel(arch);
      copyWeights(model, weights);
      optimizer = makeOptimizer(spec.optimizer);
    },
    activate: () => selectBackend(backend),
    trainBatch(xs, labels, n) {
      const net = built();
      const step = optimizer;
      if (!step) throw new Error(`${name}: setup() was not called`);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(xs.subarray(0, n * size), [n, h, w, c]);
        const y = tf.oneHot(tf.tensor1d(labels.subarray(0, n), "int32"), classes);
        const lossOf = () => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
        return step.minimize(lossOf, true) as tf.Scalar;
      });
      const value = loss.dataSync()[0] ?? Number.NaN;
      loss.dispose();
      return value;
    },
    predictBatch(xs, n) {
      const net = built();
      const probs = tf.tidy(() => tf.softmax(net.predict(tf.tensor4d(xs.subarray(0, n * size), [n, h, w, c])) as tf.Tensor));
      const values = probs.dataSync() as Float32Array;
      probs.dispose();
      return values;
    },
    dispose() {
      model?.dispose();
      optimizer?.dispose();
    },
  };
}

async function selectBackend(backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend '${backend}' failed to initialise`);
}

// The last dense layer stays linear: softmax is applied outside, as the loss needs the logits.
function buildModel(arch: Arch): tfl.Sequential {
  const model = tfl.sequential();
  arch.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: [...arch.inputShape] } : {};
    model.add(toTfjsLayer(layer, first));
  });
  return model;
}

function toTfjsLayer(layer: LayerDef, first: { inputShape?: number[] }): tfl.layers.Layer {
  switch (layer.kind) {
    case "conv2d":
      return tfl.layers.conv2d({ ...first, filters: layer.filters, kernelSize: layer.kernel, padding: layer.padding, activation: layer.relu ? "relu" : "linear" });
    case "maxpool":
      return tfl.layers.maxPooling2d({ ...first, poolSize: layer.size, strides: layer.size, padding: "valid" });
    case "flatten":
      return tfl.layers.flatten(first);
    case "dense":
      return tfl.layers.dense({ ...first, units: layer.units, activation: layer.relu ? "relu" : "linear" });
  }
}

// Keras layouts on both sides, so the tensors go in as they are, in declaration order.
function copyWeights(model: tfl.Sequential, weights: readonly NamedTensor[]): void {
  const expected = model.getWeights().map((t) => t.shape);
  if (expected.length !== weights.length) throw new Error(`tfjs model has ${expected.length} weight tensors, got ${weights.length}`);
  const tensors = weights.map((w, i) => {
    const shape = expected[i] ?? [];
    if (shape.join(",") !== w.shape.join(",")) throw new Error(`${w.name}: tfjs expects [${shape}], got [${w.shape}]`);
    return tf.tensor(Float32Array.from(w.data), [...w.shape]);
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

function makeOptimizer(sgd: SgdSpec): tf.Optimizer {
  return sgd.momentum > 0 ? tf.train.momentum(sgd.lr, sgd.momentum) : tf.train.sgd(sgd.lr);
}
