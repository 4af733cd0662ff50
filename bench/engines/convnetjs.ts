// ConvNetJS 0.3.0 as its users drive it: one Vol per sample, Trainer.train per sample, the SGD step
// taken once per batch on the gradient summed over the batch and divided by its size.
import convnetjs from "convnetjs";
import { inputSize, outputSize, type Arch, type LayerDef, type NamedTensor } from "../arch.js";
import type { Engine, EngineFactory } from "./engine.js";

export const createConvnetjsEngine: EngineFactory = (spec) => {
  const { arch } = spec;
  const [h, w, c] = arch.inputShape;
  const size = inputSize(arch);
  const classes = outputSize(arch);
  let net: convnetjs.Net | undefined;
  let trainer: convnetjs.Trainer | undefined;

  // ConvNetJS Vols are HWC too: index ((sx * y) + x) * depth + d with sx the width.
  function sample(xs: Float32Array, i: number): convnetjs.Vol {
    const vol = new convnetjs.Vol(w, h, c, 0);
    vol.w.set(xs.subarray(i * size, (i + 1) * size));
    return vol;
  }

  const engine: Engine = {
    name: "convnetjs",
    async setup(weights: readonly NamedTensor[]) {
      net = new convnetjs.Net();
      net.makeLayers(layerDefinitions(arch));
      copyWeights(net, weights);
      trainer = new convnetjs.Trainer(net, { method: "sgd", learning_rate: spec.optimizer.lr, momentum: spec.optimizer.momentum, l2_decay: 0, batch_size: 1 });
    },
    activate: async () => {},
    trainBatch(xs, labels, n) {
      if (!trainer) throw new Error("convnetjs: setup() was not called");
      // Restart the count so the step lands exactly on this batch's last sample.
      trainer.batch_size = n;
      trainer.k = 0;
      let loss = 0;
      for (let i = 0; i < n; i++) loss += trainer.train(sample(xs, i), labels[i] ?? 0).cost_loss;
      return loss / n;
    },
    predictBatch(xs, n) {
      if (!net) throw new Error("convnetjs: setup() was not called");
      const out = new Float64Array(n * classes);
      for (let i = 0; i < n; i++) out.set(net.forward(sample(xs, i), false).w, i * classes);
      return out;
    },
    dispose() {},
  };
  return engine;
};

// The last dense layer becomes ConvNetJS' softmax layer, which adds that fc layer itself.
function layerDefinitions(arch: Arch): convnetjs.LayerDefinition[] {
  const [h, w, c] = arch.inputShape;
  const defs: convnetjs.LayerDefinition[] = [{ type: "input", out_sx: w, out_sy: h, out_depth: c }];
  arch.layers.forEach((layer, i) => {
    const def = i === arch.layers.length - 1 ? lastLayer(layer) : toDefinition(layer);
    if (def) defs.push(def);
  });
  return defs;
}

function lastLayer(layer: LayerDef): convnetjs.LayerDefinition {
  if (layer.kind !== "dense" || layer.relu) throw new Error("convnetjs: the network must end with a linear dense layer");
  return { type: "softmax", num_classes: layer.units };
}

function toDefinition(layer: LayerDef): convnetjs.LayerDefinition | undefined {
  const activation = "relu" in layer && layer.relu ? { activation: "relu" } : {};
  switch (layer.kind) {
    case "conv2d":
      return { type: "conv", sx: layer.kernel, filters: layer.filters, stride: 1, pad: convPad(layer.kernel, layer.padding), ...activation };
    case "maxpool":
      return { type: "pool", sx: layer.size, stride: layer.size };
    case "flatten":
      // A fully connected layer reads any Vol as one flat HWC vector, which is Keras' flatten.
      return undefined;
    case "dense":
      return { type: "fc", num_neurons: layer.units, ...activation };
  }
}

// ConvNetJS pads both sides equally, which is TensorFlow's `same` only for odd kernels.
function convPad(kernel: number, padding: "valid" | "same"): number {
  if (padding === "valid") return 0;
  if (kernel % 2 === 0) throw new Error(`convnetjs: 'same' padding with an even kernel (${kernel}) is asymmetric`);
  return (kernel - 1) / 2;
}

function copyWeights(net: convnetjs.Net, weights: readonly NamedTensor[]): void {
  const layers = net.layers.filter((l) => l.layer_type === "conv" || l.layer_type === "fc");
  if (layers.length * 2 !== weights.length) throw new Error(`convnetjs: ${layers.length} layers with weights, got ${weights.length} tensors`);
  layers.forEach((layer, i) => {
    const kernel = weights[2 * i];
    const bias = weights[2 * i + 1];
    if (!kernel || !bias || !layer.filters || !layer.biases) throw new Error(`convnetjs: layer ${i} has no weights`);
    copyKernel(layer.filters, kernel);
    copyExact(layer.biases.w, bias);
  });
}

// Keras keeps the output unit last ([kh, kw, in, out] or [in, out]); ConvNetJS keeps one Vol per
// unit holding [kh, kw, in] (conv) or [in] (fc), so unit u gathers every `units`-th value from u.
function copyKernel(units: convnetjs.Vol[], kernel: NamedTensor): void {
  const count = kernel.shape[kernel.shape.length - 1] ?? 0;
  if (units.length !== count) throw new Error(`${kernel.name}: convnetjs has ${units.length} units, the kernel ${count}`);
  units.forEach((unit, u) => {
    const perUnit = kernel.data.length / count;
    if (unit.w.length !== perUnit) throw new Error(`${kernel.name}: convnetjs unit holds ${unit.w.length} values, the kernel ${perUnit}`);
    for (let j = 0; j < perUnit; j++) unit.w[j] = kernel.data[j * count + u] ?? 0;
  });
}

function copyExact(target: Float64Array, source: NamedTensor): void {
  if (target.length !== source.data.length) throw new Error(`${source.name}: convnetjs holds ${target.length} values, got ${source.data.length}`);
  for (let i = 0; i < target.length; i++) target[i] = source.data[i] ?? 0;
}
