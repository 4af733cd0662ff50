// The same network built with tfjs-layers' functional API: the oracle. Explicit int padding is
// not a tfjs-layers option, so it becomes a zeroPadding2d layer before a `valid` conv.
import * as tfl from "@tensorflow/tfjs-layers";
import type { Dims, MergeCall, Network, PoolCall, UnaryCall } from "./network.js";
import { layersOf, outputName } from "./network.js";
import { paramLayerNames } from "./names.js";
import { expandedShape, type Taps } from "./dilation.js";
import { DefinedActivation } from "./activations.js";
import { ExactSameAvgPool } from "./avgpool.js";
import { GroupedConv2d } from "./grouped.js";
import { conv1dPadding, Pad1d, TapConv1d } from "./conv1d.js";
import { HalfPixelBilinear, NearestRepeat } from "./upsample.js";

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
  /** cnnc's names of each parameter layer's weights, in the tfjs layer's weight order */
  readonly roles: Map<string, readonly string[]>;
  /** the batch norms, by parameter layer name: the weights cnnc has of the four tfjs holds */
  readonly normRoles: Map<string, readonly BatchnormRole[]>;
}

export type BatchnormRole = "gamma" | "beta" | "moving_mean" | "moving_variance";

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
  const roles = new Map<string, readonly string[]>();
  const normRoles = new Map<string, readonly BatchnormRole[]>();
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
      // tfjs-layers' depthwiseConv2d ignores its dilationRate (forward and shape): always expanded
      const expand = isDilated(call) && (options.forGradients === true || call.op === "depthwise_conv2d");
      if (expand) dilated.set(names.get(index)!, { dilation: call.dilation, shape: dilatedKernelShape(call, current.shape[3] ?? 0) });
      if (b.name === net.train?.tensor && call.op === "sigmoid") sigmoidInput = current;
      if (call.op === "batchnorm")
        normRoles.set(names.get(index)!, [...(call.scale ? ["gamma" as const] : []), ...(call.center ? ["beta" as const] : []), "moving_mean", "moving_variance"]);
      const [layer, out] = options.forGradients ? applyForGradients(call, current) : applyUnary(expand ? undilated(call as DilatedCall, current) : call, current);
      const paramName = names.get(index);
      if (paramName !== undefined) roles.set(paramName, call.op === "separable_conv2d" ? ["depthwise_kernel", "pointwise_kernel", "bias"] : ["kernel", "bias"]);
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
  return { model, lossOutput: outputs.length - 1, layerShapes, namedShapes, paramLayers, dilated, roles, normRoles };
}

/** Whether the network has a layer that applyForGradients rebuilds. */
export function hasGradientGaps(net: Network): boolean {
  return layersOf(net).some(
    (c) =>
      isDilated(c) ||
      (c.op === "conv1d" && c.dilation > 1) ||
      c.op === "upsample" ||
      (c.op === "avgpool" && c.padding === "same") ||
      c.op === "global_maxpool",
  );
}

type DilatedCall = UnaryCall & { op: "conv2d" | "depthwise_conv2d" | "separable_conv2d" };

/** A dilated conv2d, depthwise or separable conv: tfjs has no gradient for any of them. */
function isDilated(call: UnaryCall | MergeCall): call is DilatedCall {
  return (call.op === "conv2d" || call.op === "depthwise_conv2d" || call.op === "separable_conv2d") && call.dilation > 1;
}

/** The shape of the dilated kernel (the first weight of the layer; a separable conv's depthwise one). */
function dilatedKernelShape(call: DilatedCall, channels: number): [number, number, number, number] {
  const [kh, kw] = call.kernel;
  if (call.op === "conv2d") return [kh, kw, channels / (call.groups ?? 1), call.filters];
  return [kh, kw, channels, call.depthMultiplier];
}

/**
 * Three layers whose tfjs gradient is missing or wrong, rebuilt from ones whose gradient is right:
 * a dilated conv (dilation.ts), a `same` avgpool (avgpool.ts), and global_maxpool, whose
 * reduce-max gradient gives every tied maximum the full gradient (TensorFlow splits it among
 * them; cnnc, like a max-pool, gives it to one): a max-pool over the whole image instead.
 */
function applyForGradients(call: UnaryCall, x: Sym): [tfl.layers.Layer | null, Sym] {
  if (isDilated(call)) return applyUnary(undilated(call, x), x);
  // a dilated conv1d from its taps (conv1d.ts); bilinear from interpolation matrices (upsample.ts)
  if (call.op === "conv1d" && call.dilation > 1) return tapConv1d(call, x);
  if (call.op === "upsample")
    return [null, apply(call.interpolation === "bilinear" ? new HalfPixelBilinear(call.size, true) : new NearestRepeat(call.size), x)];
  if (x.shape.length === 3) {
    // along a sequence: the same 2-D workarounds on the sequence viewed as a one-row image
    const [n, c] = [x.shape[1]!, x.shape[2]!];
    if (call.op === "avgpool" && call.padding === "same") {
      const stride = call.stride ?? call.size[0];
      const row = apply(new ExactSameAvgPool([1, call.size[0]], [1, stride]), apply(tfl.layers.reshape({ targetShape: [1, n, c] }), x));
      return [null, apply(tfl.layers.reshape({ targetShape: [Math.ceil(n / stride), c] }), row)];
    }
    if (call.op === "global_maxpool") return [null, apply(tfl.layers.flatten(), apply(tfl.layers.maxPooling1d({ poolSize: n, strides: n }), x))];
  }
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

function tapConv1d(call: UnaryCall & { op: "conv1d" }, x: Sym): [tfl.layers.Layer, Sym] {
  const [before, after] = conv1dPadding(x.shape[1]!, call.kernel, call.stride, call.dilation, call.padding);
  const layer = new TapConv1d({ ...call, before, after });
  return [layer, apply(layer, x)];
}

/** tfjs' own conv1d where it can; causal and int padding as a pad before a valid conv. tfjs has
 *  no groups and refuses stride > 1 together with dilation > 1: those from taps (conv1d.ts). */
function conv1d(call: UnaryCall & { op: "conv1d" }, x: Sym): [tfl.layers.Layer, Sym] {
  if (call.groups > 1 || (call.stride > 1 && call.dilation > 1)) return tapConv1d(call, x);
  const explicit = call.padding === "causal" || typeof call.padding === "number";
  const [before, after] = conv1dPadding(x.shape[1]!, call.kernel, call.stride, call.dilation, call.padding);
  const layer = tfl.layers.conv1d({
    filters: call.filters,
    kernelSize: call.kernel,
    strides: call.stride,
    padding: call.padding === "same" ? "same" : "valid",
    dilationRate: call.dilation,
    useBias: call.bias,
    kernelInitializer: "zeros",
  });
  return [layer, apply(layer, explicit ? apply(new Pad1d(before, after), x) : x)];
}

function undilated(call: DilatedCall, x: Sym): UnaryCall {
  const [kh, kw] = expandedShape({ dilation: call.dilation, shape: dilatedKernelShape(call, x.shape[3] ?? 0) });
  return { ...call, kernel: [kh, kw], dilation: 1 };
}

/** Explicit int padding is not a tfjs-layers conv option: a zeroPadding2d before a `valid` conv. */
function zeroPadded(padding: number | string, x: Sym): Sym {
  const pad = typeof padding === "number" ? padding : 0;
  return pad > 0 ? apply(tfl.layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]] }), x) : x;
}

/** Apply one layer; returns the layer holding the parameters (if any) and its output. */
function applyUnary(call: UnaryCall, x: Sym): [tfl.layers.Layer | null, Sym] {
  const rank = x.shape.length - 1;
  switch (call.op) {
    case "conv2d": {
      if ((call.groups ?? 1) > 1) {
        const padding = call.padding === "same" ? "same" : "valid";
        const layer = new GroupedConv2d({ ...call, padding, groups: call.groups! });
        return [layer, apply(layer, zeroPadded(call.padding, x))];
      }
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
    case "depthwise_conv2d": {
      const layer = tfl.layers.depthwiseConv2d({
        kernelSize: [...call.kernel],
        strides: call.stride,
        padding: call.padding === "same" ? "same" : "valid",
        dilationRate: call.dilation,
        depthMultiplier: call.depthMultiplier,
        useBias: call.bias,
        depthwiseInitializer: "zeros",
      });
      return [layer, apply(layer, zeroPadded(call.padding, x))];
    }
    case "separable_conv2d": {
      const layer = tfl.layers.separableConv2d({
        filters: call.filters,
        kernelSize: [...call.kernel],
        strides: call.stride,
        padding: call.padding === "same" ? "same" : "valid",
        dilationRate: call.dilation,
        depthMultiplier: call.depthMultiplier,
        useBias: call.bias,
        depthwiseInitializer: "zeros",
        pointwiseInitializer: "zeros",
      });
      return [layer, apply(layer, zeroPadded(call.padding, x))];
    }
    case "conv2d_transpose": {
      const layer = tfl.layers.conv2dTranspose({
        filters: call.filters,
        kernelSize: [...call.kernel],
        strides: call.stride,
        padding: call.padding,
        useBias: call.bias,
        kernelInitializer: "zeros",
      });
      return [layer, apply(layer, x)];
    }
    case "conv1d":
      return conv1d(call, x);
    case "upsample":
      if (call.interpolation === "bilinear") return [null, apply(new HalfPixelBilinear(call.size, false), x)];
      return [null, apply(tfl.layers.upSampling2d({ size: [...call.size], interpolation: "nearest" }), x)];
    case "maxpool":
    case "avgpool": {
      if (rank === 2) {
        const options = { poolSize: call.size[0], strides: call.stride ?? call.size[0], padding: call.padding };
        return [null, apply(call.op === "maxpool" ? tfl.layers.maxPooling1d(options) : tfl.layers.averagePooling1d(options), x)];
      }
      const size: [number, number] = [call.size[0], call.size[1]];
      const options = { poolSize: size, strides: call.stride ?? size, padding: call.padding };
      return [null, apply(call.op === "maxpool" ? tfl.layers.maxPooling2d(options) : tfl.layers.averagePooling2d(options), x)];
    }
    case "global_avgpool":
      return [null, apply(rank === 2 ? tfl.layers.globalAveragePooling1d({}) : tfl.layers.globalAveragePooling2d({}), x)];
    case "global_maxpool":
      return [null, apply(rank === 2 ? tfl.layers.globalMaxPooling1d({}) : tfl.layers.globalMaxPooling2d({}), x)];
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
    case "batchnorm": {
      // tfjs-layers' training call reads gamma and beta even when `scale` or `center` is false
      // (and throws), so it always gets both: the one cnnc lacks stays at its start, 1 or 0,
      // which is exactly the missing factor or shift, and is never loaded, stepped or compared
      const layer = tfl.layers.batchNormalization({ axis: -1, momentum: call.momentum ?? 0.99, epsilon: call.epsilon ?? 0.001 });
      return [layer, apply(layer, x)];
    }
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
