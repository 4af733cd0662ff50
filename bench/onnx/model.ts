// The benchmark network as an ONNX model, written with onnx-proto (the ONNX schema compiled by
// protobufjs) from the same Keras-layout weights every other engine gets. The model takes the
// harness's HWC samples and transposes them to NCHW itself, so that transpose is part of every
// timed call, as the layout work is for the other engines; the output is the softmax.
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";
import { layerInputShapes, type Arch, type NamedTensor } from "../arch.js";
import { convKernelToOihw, denseRowsHwcToChw } from "./layout.js";

const { onnx } = onnxProto;

/** Opset 13: Softmax over one axis, Gemm with an optional C; onnxruntime 1.30 runs it as it is. */
const opset = 13;
export const inputName = "input";
export const outputName = "probs";

/** The serialised ModelProto; the batch dimension is symbolic ("N"), so one session serves every batch. */
export function onnxModel(arch: Arch, weights: readonly NamedTensor[]): Uint8Array {
  const graph = buildGraph(arch, weights);
  const model = onnx.ModelProto.create({
    irVersion: onnx.Version.IR_VERSION,
    producerName: "cnnc-bench",
    opsetImport: [{ domain: "", version: opset }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

interface GraphParts {
  readonly nodes: Onnx.NodeProto[];
  readonly initializers: Onnx.TensorProto[];
}

function buildGraph(arch: Arch, weights: readonly NamedTensor[]): Onnx.GraphProto {
  const parts: GraphParts = { nodes: [], initializers: [] };
  const inputs = layerInputShapes(arch);
  let next = 0;
  const param = (): NamedTensor => {
    const tensor = weights[next++];
    if (!tensor) throw new Error(`onnx: the network needs more than ${weights.length} weight tensors`);
    return tensor;
  };
  let value = "nchw";
  parts.nodes.push(node("Transpose", [inputName], value, [ints("perm", [0, 3, 1, 2])]));
  arch.layers.forEach((layer, i) => {
    const out = `layer${i}`;
    switch (layer.kind) {
      case "conv2d": {
        const kernel = param();
        const bias = param();
        const pads = layer.padding === "same" ? samePads(layer.kernel) : [0, 0, 0, 0];
        const w = initializer(parts, `${out}.W`, [kernel.shape[3] ?? 1, kernel.shape[2] ?? 1, layer.kernel, layer.kernel], convKernelToOihw(kernel.data, kernel.shape));
        const b = initializer(parts, `${out}.B`, [...bias.shape], Float32Array.from(bias.data));
        parts.nodes.push(node("Conv", [value, w, b], out, [ints("kernel_shape", [layer.kernel, layer.kernel]), ints("pads", pads)]));
        value = layer.relu ? relu(parts, out) : out;
        break;
      }
      case "maxpool":
        parts.nodes.push(node("MaxPool", [value], out, [ints("kernel_shape", [layer.size, layer.size]), ints("strides", [layer.size, layer.size])]));
        value = out;
        break;
      case "flatten":
        parts.nodes.push(node("Flatten", [value], out, [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }]));
        value = out;
        break;
      case "dense": {
        const kernel = param();
        const bias = param();
        const input = inputs[i] ?? [];
        const previous = arch.layers[i - 1];
        const chw = previous?.kind === "flatten" ? flattenedFrom(inputs[i - 1]) : null;
        const rows = chw ? denseRowsHwcToChw(kernel.data, layer.units, chw) : Float32Array.from(kernel.data);
        const w = initializer(parts, `${out}.W`, [input[0] ?? 1, layer.units], rows);
        const b = initializer(parts, `${out}.B`, [layer.units], Float32Array.from(bias.data));
        parts.nodes.push(node("Gemm", [value, w, b], out, []));
        value = layer.relu ? relu(parts, out) : out;
        break;
      }
    }
  });
  if (next !== weights.length) throw new Error(`onnx: the network has ${next} weight tensors, got ${weights.length}`);
  parts.nodes.push(node("Softmax", [value], outputName, [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }]));
  const [h, w, c] = arch.inputShape;
  const classes = arch.layers[arch.layers.length - 1];
  return onnx.GraphProto.create({
    name: "bench",
    node: parts.nodes,
    initializer: parts.initializers,
    input: [valueInfo(inputName, ["N", h, w, c])],
    output: [valueInfo(outputName, ["N", classes?.kind === "dense" ? classes.units : 1])],
  });
}

// TensorFlow's "same" for stride 1: k - 1 zeros in all, the extra one (even k) after.
function samePads(kernel: number): number[] {
  const before = Math.floor((kernel - 1) / 2);
  const after = kernel - 1 - before;
  return [before, before, after, after];
}

function flattenedFrom(shape: readonly number[] | undefined): [number, number, number] | null {
  if (!shape || shape.length !== 3) return null;
  const [h = 1, w = 1, c = 1] = shape;
  return [h, w, c];
}

function relu(parts: GraphParts, input: string): string {
  const out = `${input}.relu`;
  parts.nodes.push(node("Relu", [input], out, []));
  return out;
}

function node(opType: string, input: string[], output: string, attribute: Onnx.IAttributeProto[]): Onnx.NodeProto {
  return onnx.NodeProto.create({ opType, input, output: [output], name: output, attribute });
}

function ints(name: string, values: number[]): Onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: values };
}

function initializer(parts: GraphParts, name: string, dims: number[], data: Float32Array): string {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new Error(`onnx: ${name} has ${data.length} values for dims [${dims}]`);
  // raw_data is little-endian float32, as a Float32Array is on every platform this runs on
  const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  parts.initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData }));
  return name;
}

function valueInfo(name: string, dims: (number | string)[]): Onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}
