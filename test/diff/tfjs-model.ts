// The same network built with tfjs-layers' functional API: the oracle. Explicit int padding is
// not a tfjs-layers option, so it becomes a zeroPadding2d layer before a `valid` conv.
import * as tfl from "@tensorflow/tfjs-layers";
import type { Dims, MergeCall, Network, PoolCall, UnaryCall } from "./network.js";
import { layersOf, outputName } from "./network.js";
import { paramLayerNames } from "./names.js";
import { expandedShape, type Taps } from "./dilation.js";
import { DefinedActivation } from "./activations.js";
import { ExactSameAvgPool } from "./avgpool.js";

type Sym = tfl.SymbolicTensor;

export interface TfjsNetwork {
  /** outputs: the network's output, then the loss input when that is another tensor: the tensor
   * the loss names, or for binary cross-entropy the logits its sigmoid was fed */
  readonly model: tfl.LayersModel;
  readonly lossOutput: number;
  /** per-sample output shape of each layer in source order, as tfjs infers it */
  readonly layerShapes: Dims[];
  readonly namedShapes: Map<string, Dims>;
  /** cnnc's parameter layer name (`features.conv2d1`) -> the tfjs layer holding its weights */
  readonly paramLayers: Map<string, tfl.layers.Layer>;
  /** with `expandDilation`: the dilated convs, by parameter layer name, built undilated */
  readonly dilated: Map<string, Taps>;
}

export interface BuildOptions {
  /** for gradients: build each dilated conv as an undilated one with a zero-padded kernel
   * (dilation.ts), and each `same` avgpool as a ratio of `valid` ones (avgpool.ts) */
  readonly forGradients?: boolean;
}

/** Build the tfjs model; throws whatever tfjs throws for a network it refuses. */
export function buildTfjs(net: Network, options: BuildOptions = {}): TfjsNetwork {
  const names = paramLayerNames(net);
  const paramLayers = new Map<string, tfl.layers.Layer>();
  const dilated = new Map<string, Taps>();
  const layerShapes: Dims[] = [];
  const input = tfl.input({ shape: [...net.input.shape] });
  const named = new Map<string, Sym>([[net.input.name, input]]);
  // binary cross-entropy is computed from the sigmoid's input, as a fused loss must be
  let sigmoidInput: Sym | null = null;
  const need = (name: string): Sym => {
    const t = named.get(name);
    if (!t) throw new Error(`unbound tensor ${name}`);
    return t;
  };
  let index = 0;
  const record = (layer: tfl.layers.Layer | null, out: Sym): Sym => {
    const paramName = names.get(index++);
    if (paramName !== undefined && layer) paramLayers.set(paramName, layer);
    layerShapes.push(perSample(out));
    return out;
  };
  for (const b of net.bindings) {
    let current = b.source.kind === "ref" ? need(b.source.name) : record(null, applyMerge(b.source.call, b.source.call.inputs.map(need)));
    for (const call of b.calls) {
      if (options.forGradients === true && call.op === "conv2d" && call.dilation > 1)
        dilated.set(names.get(index)!, {
          dilation: call.dilation,
          shape: [call.kernel[0], call.kernel[1], current.shape[3] ?? 0, call.filters],
        });
      if (b.name === net.train?.tensor && call.op === "sigmoid") sigmoidInput = current;
      const [layer, out] = options.forGradients ? applyForGradients(call, current) : applyUnary(call, current);
      current = record(layer, out);
    }
    named.set(b.name, current);
  }
  const output = need(outputName(net));
  const lossTensor = !net.train
    ? output
    : net.train.loss === "binary_cross_entropy"
      ? (sigmoidInput ?? fail("BCE needs a sigmoid"))
      : need(net.train.tensor);
  const outputs = lossTensor === output ? [output] : [output, lossTensor];
  const model = tfl.model({ inputs: input, outputs });
  const namedShapes = new Map([...named].map(([name, t]) => [name, perSample(t)] as const));
  if (index !== layersOf(net).length) throw new Error("layer count mismatch");
  return { model, lossOutput: outputs.length - 1, layerShapes, namedShapes, paramLayers, dilated };
}

/** Whether the network has a layer that applyForGradients rebuilds. */
export function hasGradientGaps(net: Network): boolean {
  return layersOf(net).some(
    (c) => (c.op === "conv2d" && c.dilation > 1) || (c.op === "avgpool" && c.padding === "same") || c.op === "global_maxpool",
  );
}

/**
 * Three layers whose tfjs gradient is missing or wrong, rebuilt from ones whose gradient is right:
 * a dilated conv (dilation.ts), a `same` avgpool (avgpool.ts), and global_maxpool, whose
 * reduce-max gradient gives every tied maximum the full gradient (TensorFlow splits it among
 * them; cnnc, like a max-pool, gives it to one): a max-pool over the whole image instead.
 */
function applyForGradients(call: UnaryCall, x: Sym): [tfl.layers.Layer | null, Sym] {
  if (call.op === "conv2d" && call.dilation > 1) return applyUnary(undilated(call, x), x);
  if (call.op === "avgpool" && call.padding === "same") return [null, apply(exactSameAvgPool(call), x)];
  if (call.op === "global_maxpool") {
    const whole: [number, number] = [x.shape[1]!, x.shape[2]!];
    return [null, apply(tfl.layers.flatten(), apply(tfl.layers.maxPooling2d({ poolSize: whole, strides: whole }), x))];
  }
  return applyUnary(call, x);
}

function exactSameAvgPool(call: PoolCall): tfl.layers.Layer {
  return new ExactSameAvgPool(call.size, [call.stride ?? call.size[0], call.stride ?? call.size[1]]);
}

function undilated(call: UnaryCall & { op: "conv2d" }, x: Sym): UnaryCall {
  const [kh, kw] = expandedShape({ dilation: call.dilation, shape: [call.kernel[0], call.kernel[1], x.shape[3] ?? 0, call.filters] });
  return { ...call, kernel: [kh, kw], dilation: 1 };
}

/** Apply one layer; returns the layer holding the parameters (if any) and its output. */
function applyUnary(call: UnaryCall, x: Sym): [tfl.layers.Layer | null, Sym] {
  const rank = x.shape.length - 1;
  switch (call.op) {
    case "conv2d": {
      const pad = typeof call.padding === "number" ? call.padding : 0;
      const padded =
        pad > 0
          ? apply(
              tfl.layers.zeroPadding2d({
                padding: [
                  [pad, pad],
                  [pad, pad],
                ],
              }),
              x,
            )
          : x;
      const layer = tfl.layers.conv2d({
        filters: call.filters,
        kernelSize: [...call.kernel],
        strides: call.stride,
        padding: call.padding === "same" ? "same" : "valid",
        dilationRate: call.dilation,
        useBias: call.bias,
        kernelInitializer: "zeros",
      });
      return [layer, apply(layer, padded)];
    }
    case "maxpool":
    case "avgpool": {
      const size: [number, number] = [call.size[0], call.size[1]];
      const options = { poolSize: size, strides: call.stride ?? size, padding: call.padding };
      return [null, apply(call.op === "maxpool" ? tfl.layers.maxPooling2d(options) : tfl.layers.averagePooling2d(options), x)];
    }
    case "global_avgpool":
      return [null, apply(tfl.layers.globalAveragePooling2d({}), x)];
    case "global_maxpool":
      return [null, apply(tfl.layers.globalMaxPooling2d({}), x)];
    case "flatten":
      // Keras' Flatten wants rank >= 3 with the batch; on a vector it is the identity
      return [null, rank <= 1 ? x : apply(tfl.layers.flatten(), x)];
    case "dense": {
      const layer = tfl.layers.dense({ units: call.units, useBias: call.bias, kernelInitializer: "zeros" });
      return [layer, apply(layer, x)];
    }
    case "leaky_relu":
      // tfjs' default alpha is 0.3, LANGUAGE.md's is 0.01: always pass it
      return [null, apply(tfl.layers.leakyReLU({ alpha: call.alpha ?? 0.01 }), x)];
    case "elu":
      return [null, apply(call.alpha === null ? tfl.layers.elu({}) : new DefinedActivation("elu", call.alpha), x)];
    case "gelu":
      // tfjs' gelu is the erf form, its gelu_new the tanh one
      return [null, apply(tfl.layers.activation({ activation: call.approximate ? "gelu_new" : "gelu" }), x)];
    case "silu":
    case "swish":
      return [null, apply(tfl.layers.activation({ activation: "swish" }), x)];
    case "hard_sigmoid":
    case "hard_swish":
      return [null, apply(new DefinedActivation(call.op), x)];
    case "dropout":
      return [null, apply(tfl.layers.dropout({ rate: call.rate }), x)];
    default:
      return [null, apply(tfl.layers.activation({ activation: call.op }), x)];
  }
}

function applyMerge(call: MergeCall, inputs: Sym[]): Sym {
  const layer = call.op === "add" ? tfl.layers.add({}) : tfl.layers.concatenate({ axis: -1 });
  return single(layer.apply(inputs));
}

function apply(layer: tfl.layers.Layer, x: Sym): Sym {
  return single(layer.apply(x));
}

function single(out: unknown): Sym {
  if (!(out instanceof tfl.SymbolicTensor)) throw new Error("expected one symbolic tensor");
  return out;
}

function perSample(t: Sym): Dims {
  return t.shape.slice(1).map((d) => d ?? -1);
}

function fail(message: string): never {
  throw new Error(message);
}
