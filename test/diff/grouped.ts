// tfjs has no grouped convolution (conv2d's `groups`). The oracle builds it from ops tfjs gets
// right, forward and backward: the input's channels sliced per group, one tf.conv2d per group
// with that group's filters sliced from the one kernel [kh, kw, c/groups, filters], the results
// concatenated on the channel axis, then the bias. The layer holds cnnc's kernel and bias
// unchanged, so weights move between the two sides as for conv2d.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { windowOutput } from "./shapes.js";

export interface GroupedOptions {
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: number;
  readonly padding: "valid" | "same";
  readonly dilation: number;
  readonly bias: boolean;
  readonly groups: number;
}

export class GroupedConv2d extends tfl.layers.Layer {
  static readonly className = "GroupedConv2d";
  private kernel: tfl.LayerVariable | null = null;
  private biasWeight: tfl.LayerVariable | null = null;

  constructor(private readonly o: GroupedOptions) {
    super({});
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const c = (inputShape as (number | null)[])[3]!;
    // Keras' Conv2D(groups) refuses these with a ValueError; so does this stand-in
    if (c % this.o.groups !== 0) throw new Error(`the number of input channels (${c}) is not divisible by the number of groups (${this.o.groups})`);
    if (this.o.filters % this.o.groups !== 0) throw new Error(`the number of filters (${this.o.filters}) is not divisible by the number of groups (${this.o.groups})`);
    const zeros = tfl.initializers.zeros();
    this.kernel = this.addWeight("kernel", [this.o.kernel[0], this.o.kernel[1], c / this.o.groups, this.o.filters], "float32", zeros);
    if (this.o.bias) this.biasWeight = this.addWeight("bias", [this.o.filters], "float32", zeros);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, h, w] = inputShape as (number | null)[];
    const axis = (n: number, k: number): number => windowOutput(n, k, this.o.stride, this.o.dilation, this.o.padding);
    return [batch ?? null, axis(h!, this.o.kernel[0]), axis(w!, this.o.kernel[1]), this.o.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const kernel = this.kernel!.read() as tf.Tensor4D;
    const cg = x.shape[3] / this.o.groups;
    const fg = this.o.filters / this.o.groups;
    const parts: tf.Tensor4D[] = [];
    for (let g = 0; g < this.o.groups; g++) {
      const xg = tf.slice(x, [0, 0, 0, g * cg], [-1, -1, -1, cg]);
      const kg = tf.slice(kernel, [0, 0, 0, g * fg], [-1, -1, -1, fg]);
      parts.push(tf.conv2d(xg, kg, this.o.stride, this.o.padding, "NHWC", this.o.dilation));
    }
    const y = tf.concat(parts, 3);
    return this.biasWeight ? tf.add(y, this.biasWeight.read()) : y;
  }
}
