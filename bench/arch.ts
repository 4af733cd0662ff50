// The benchmark networks as plain data, so the reference engines (TensorFlow.js, ConvNetJS) can
// build the same model the .cnn file describes. The agreement check proves the two match.

export type Shape3 = readonly [number, number, number];

export type LayerDef =
  | { readonly kind: "conv2d"; readonly filters: number; readonly kernel: number; readonly padding: "valid" | "same"; readonly relu: boolean }
  | { readonly kind: "maxpool"; readonly size: number }
  | { readonly kind: "flatten" }
  | { readonly kind: "dense"; readonly units: number; readonly relu: boolean };

/** A sequential classifier: the last layer is a dense layer whose output goes through softmax. */
export interface Arch {
  readonly inputShape: Shape3;
  readonly layers: readonly LayerDef[];
}

/** Plain SGD or SGD with momentum (PyTorch / tf.train.momentum form). */
export interface SgdSpec {
  readonly lr: number;
  readonly momentum: number;
}

/** One parameter tensor in Keras layout, as cnnc's getWeights() returns it. */
export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface ParamShape {
  readonly name: string;
  readonly shape: readonly number[];
}

export function inputSize(arch: Arch): number {
  const [h, w, c] = arch.inputShape;
  return h * w * c;
}

export function outputSize(arch: Arch): number {
  const last = arch.layers[arch.layers.length - 1];
  if (last?.kind !== "dense") throw new Error("a benchmark network must end with a dense layer");
  return last.units;
}

/** Output shape of one layer, by TensorFlow's size rules (stride 1 convolutions, pool stride = size). */
export function layerOutputShape(layer: LayerDef, input: readonly number[]): readonly number[] {
  const [h = 1, w = 1, c = 1] = input;
  switch (layer.kind) {
    case "conv2d":
      return layer.padding === "same" ? [h, w, layer.filters] : [h - layer.kernel + 1, w - layer.kernel + 1, layer.filters];
    case "maxpool":
      return [Math.floor(h / layer.size), Math.floor(w / layer.size), c];
    case "flatten":
      return [input.reduce((a, b) => a * b, 1)];
    case "dense":
      return [layer.units];
  }
}

/** The shape entering each layer, in order. */
export function layerInputShapes(arch: Arch): (readonly number[])[] {
  const shapes: (readonly number[])[] = [];
  let shape: readonly number[] = arch.inputShape;
  for (const layer of arch.layers) {
    shapes.push(shape);
    shape = layerOutputShape(layer, shape);
  }
  return shapes;
}

/** Kernel then bias for each layer with parameters, in declaration order, Keras layouts. */
export function paramShapes(arch: Arch): ParamShape[] {
  const inputs = layerInputShapes(arch);
  const params: ParamShape[] = [];
  arch.layers.forEach((layer, i) => {
    const input = inputs[i] ?? [];
    if (layer.kind === "conv2d") {
      const channels = input[2] ?? 1;
      params.push({ name: `layer${i}.kernel`, shape: [layer.kernel, layer.kernel, channels, layer.filters] });
      params.push({ name: `layer${i}.bias`, shape: [layer.filters] });
    } else if (layer.kind === "dense") {
      params.push({ name: `layer${i}.kernel`, shape: [input[0] ?? 1, layer.units] });
      params.push({ name: `layer${i}.bias`, shape: [layer.units] });
    }
  });
  return params;
}

/**
 * Forward FLOPs per sample of the convolutions and dense layers: a multiply-add counts 2 and the
 * bias add 1, as analyze() counts them. Used only when cnnc's analyze() is absent.
 */
export function archFlops(arch: Arch): number {
  const inputs = layerInputShapes(arch);
  let flops = 0;
  arch.layers.forEach((layer, i) => {
    const input = inputs[i] ?? [];
    const output = layerOutputShape(layer, input);
    const outputCount = output.reduce((a, b) => a * b, 1);
    if (layer.kind === "conv2d") flops += outputCount * (2 * layer.kernel * layer.kernel * (input[2] ?? 1) + 1);
    if (layer.kind === "dense") flops += outputCount * (2 * (input[0] ?? 1) + 1);
  });
  return flops;
}
