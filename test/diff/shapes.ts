// Output shapes computed from TensorFlow's formulas, independently of cnnc's checker and of tfjs.
// Every function returns null when the op cannot take that input, so the generator can try again.
import type { Dims, MergeCall, Network, PaddingSpec, UnaryCall } from "./network.js";
import { layersOf } from "./network.js";

/** One spatial axis: TF's `valid` / `same` rules, and symmetric explicit padding. */
export function windowOutput(n: number, k: number, stride: number, dilation: number, padding: PaddingSpec): number {
  const span = dilation * (k - 1) + 1;
  if (padding === "same") return Math.ceil(n / stride);
  const padded = padding === "valid" ? n : n + 2 * padding;
  return Math.floor((padded - span) / stride) + 1;
}

function spatial(
  input: Dims,
  k: readonly [number, number],
  stride: number,
  dilation: number,
  padding: PaddingSpec,
  channels: number,
): Dims | null {
  const [h, w] = input;
  if (input.length !== 3 || h === undefined || w === undefined) return null;
  const out = [windowOutput(h, k[0], stride, dilation, padding), windowOutput(w, k[1], stride, dilation, padding), channels];
  return out.every((d) => d >= 1) ? out : null;
}

/** Keras' Conv1D length: `causal` keeps ceil(n / s) like `same`. */
function conv1dShape(call: UnaryCall & { op: "conv1d" }, input: Dims): Dims | null {
  const [n, c] = input;
  if (input.length !== 2 || n === undefined || c === undefined) return null;
  if (c % call.groups !== 0 || call.filters % call.groups !== 0) return null;
  const out = call.padding === "causal" ? Math.ceil(n / call.stride) : windowOutput(n, call.kernel, call.stride, call.dilation, call.padding);
  return out >= 1 ? [out, call.filters] : null;
}

/** MaxPooling1D / AveragePooling1D along the length. */
function pool1dShape(call: UnaryCall & { op: "maxpool" | "avgpool" }, input: Dims): Dims | null {
  const [n, c] = input;
  if (call.size[0] !== call.size[1] || n === undefined || c === undefined) return null;
  const out = windowOutput(n, call.size[0], call.stride ?? call.size[0], 1, call.padding);
  return out >= 1 ? [out, c] : null;
}

export function unaryShape(call: UnaryCall, input: Dims): Dims | null {
  switch (call.op) {
    case "conv2d": {
      const groups = call.groups ?? 1;
      if (call.filters % groups !== 0 || (input[2] ?? 0) % groups !== 0) return null;
      return spatial(input, call.kernel, call.stride, call.dilation, call.padding, call.filters);
    }
    case "depthwise_conv2d":
      return spatial(input, call.kernel, call.stride, call.dilation, call.padding, (input[2] ?? 0) * call.depthMultiplier);
    case "separable_conv2d":
      return spatial(input, call.kernel, call.stride, call.dilation, call.padding, call.filters);
    case "conv2d_transpose": {
      // Keras' deconv length: valid n*s + max(k - s, 0), same n*s
      if (input.length !== 3) return null;
      const axis = (n: number, k: number): number => n * call.stride + (call.padding === "same" ? 0 : Math.max(k - call.stride, 0));
      return [axis(input[0]!, call.kernel[0]), axis(input[1]!, call.kernel[1]), call.filters];
    }
    case "conv1d":
      return conv1dShape(call, input);
    case "upsample":
      return input.length === 3 ? [input[0]! * call.size[0], input[1]! * call.size[1], input[2]!] : null;
    case "maxpool":
    case "avgpool": {
      if (input.length === 2) return pool1dShape(call, input);
      // a pool's stride may differ per axis only through its default, the window size
      if (call.stride !== null) return spatial(input, call.size, call.stride, 1, call.padding, input[2] ?? 0);
      const rows = spatial(input, [call.size[0], 1], call.size[0], 1, call.padding, input[2] ?? 0);
      const cols = spatial(input, [1, call.size[1]], call.size[1], 1, call.padding, input[2] ?? 0);
      return rows && cols ? [rows[0]!, cols[1]!, rows[2]!] : null;
    }
    case "global_avgpool":
    case "global_maxpool":
      return input.length === 3 || input.length === 2 ? [input[input.length - 1]!] : null;
    case "flatten":
      return [product(input)];
    case "dense":
      return input.length === 1 ? [call.units] : null;
    default:
      return input;
  }
}

export function mergeShape(call: MergeCall, inputs: readonly Dims[]): Dims | null {
  const first = inputs[0];
  if (!first || inputs.length < 2) return null;
  if (call.op === "add") return inputs.every((s) => sameDims(s, first)) ? first : null;
  const rank = first.length;
  const agree = inputs.every((s) => s.length === rank && s.slice(0, -1).every((d, i) => d === first[i]));
  if (!agree) return null;
  const channels = inputs.reduce((sum, s) => sum + s[rank - 1]!, 0);
  return [...first.slice(0, -1), channels];
}

/** Every layer's output shape in source order, plus every named tensor's shape. */
export function networkShapes(net: Network): { layers: Dims[]; layerInputs: Dims[][]; named: Map<string, Dims> } {
  const shapes = shapesUntilInvalid(net);
  if (shapes.invalidAt !== null) throw new Error(`shape-invalid network at ${shapes.invalidAt}`);
  if (shapes.layers.length !== layersOf(net).length) throw new Error("layer count mismatch");
  return shapes;
}

/** The shapes up to the first binding that is not shape-valid (a mutant's), and its name. */
export function shapesUntilInvalid(net: Network): {
  layers: Dims[];
  layerInputs: Dims[][];
  named: Map<string, Dims>;
  invalidAt: string | null;
} {
  const named = new Map<string, Dims>([[net.input.name, net.input.shape]]);
  const layers: Dims[] = [];
  const layerInputs: Dims[][] = [];
  for (const b of net.bindings) {
    const inputs = b.source.kind === "ref" ? [named.get(b.source.name)] : b.source.call.inputs.map((n) => named.get(n));
    if (!inputs.every((s) => s !== undefined)) return { layers, layerInputs, named, invalidAt: b.name };
    let current: Dims | null = b.source.kind === "ref" ? inputs[0]! : mergeShape(b.source.call, inputs);
    if (b.source.kind === "merge") {
      layerInputs.push(inputs);
      if (!current) return { layers, layerInputs, named, invalidAt: b.name };
      layers.push(current);
    }
    for (const call of b.calls) {
      layerInputs.push([current!]);
      current = unaryShape(call, current!);
      if (!current) return { layers, layerInputs, named, invalidAt: b.name };
      layers.push(current);
    }
    named.set(b.name, current!);
  }
  return { layers, layerInputs, named, invalidAt: null };
}

export function product(dims: Dims): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function sameDims(a: Dims, b: Dims): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
