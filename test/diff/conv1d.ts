// tfjs-layers' conv1d has no `groups`, refuses `causal` padding ("not implemented yet" in
// conv1dWithBias), and cannot differentiate a dilated conv (conv2D's gradient "dilation rates
// greater than 1 are not yet supported"). The oracle therefore builds:
// - causal and explicit padding as a zero pad of the length (Pad1d) before a `valid` conv1d;
// - a grouped conv, and every dilated conv in the gradient build, as TapConv1d: per tap, a
//   strided view of the padded input times that tap's [c/groups, filters/groups] kernel slice
//   (pad, slice, matMul and concat, whose values and gradients tfjs gets right).
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/** Zero cells before and after the length axis of [batch, n, c]. */
export class Pad1d extends tfl.layers.Layer {
  static readonly className = "Pad1d";

  constructor(
    private readonly before: number,
    private readonly after: number,
  ) {
    super({});
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, n, c] = inputShape as (number | null)[];
    return [batch ?? null, n! + this.before + this.after, c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
    return tf.pad(x, [[0, 0], [this.before, this.after], [0, 0]]);
  }
}

export interface TapConv1dOptions {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** cells padded before and after (resolved from valid, same, causal or an int) */
  readonly before: number;
  readonly after: number;
  readonly groups: number;
  readonly bias: boolean;
}

/** conv1d from taps: y[o, f] = b[f] + sum over t, ci of xpad[o*s + t*d, g*cg + ci] * K[t, ci, f]. */
export class TapConv1d extends tfl.layers.Layer {
  static readonly className = "TapConv1d";
  private kernelWeight: tfl.LayerVariable | null = null;
  private biasWeight: tfl.LayerVariable | null = null;

  constructor(private readonly o: TapConv1dOptions) {
    super({});
  }

  private outLength(n: number): number {
    return Math.floor((n + this.o.before + this.o.after - this.o.dilation * (this.o.kernel - 1) - 1) / this.o.stride) + 1;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const c = (inputShape as (number | null)[])[2]!;
    this.kernelWeight = this.addWeight("kernel", [this.o.kernel, c / this.o.groups, this.o.filters], "float32", tfl.initializers.zeros());
    if (this.o.bias) this.biasWeight = this.addWeight("bias", [this.o.filters], "float32", tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, n] = inputShape as (number | null)[];
    return [batch ?? null, this.outLength(n!), this.o.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
      const [batch, n, c] = x.shape;
      const { kernel, stride, dilation, groups, filters } = this.o;
      const out = this.outLength(n);
      const cg = c / groups;
      const fg = filters / groups;
      const padded = tf.pad(x, [[0, 0], [this.o.before, this.o.after], [0, 0]]);
      const k = this.kernelWeight!.read();
      const perGroup: tf.Tensor[] = [];
      for (let g = 0; g < groups; g++) {
        let sum: tf.Tensor | null = null;
        for (let t = 0; t < kernel; t++) {
          // the input steps tap t reads for every output step: t*d, t*d + s, ...
          const rows = everyStride(tf.slice(padded, [0, t * dilation, g * cg], [batch, (out - 1) * stride + 1, cg]), out, stride);
          const taps = tf.reshape(tf.slice(k, [t, 0, g * fg], [1, cg, fg]), [cg, fg]) as tf.Tensor2D;
          const term = tf.matMul(tf.reshape(rows, [batch * out, cg]) as tf.Tensor2D, taps);
          sum = sum === null ? term : tf.add(sum, term);
        }
        perGroup.push(tf.reshape(sum!, [batch, out, fg]));
      }
      const y = groups === 1 ? perGroup[0]! : tf.concat(perGroup, 2);
      return this.biasWeight ? tf.add(y, this.biasWeight.read()) : y;
    });
  }
}

/** Steps 0, s, 2s, ... of [batch, (out-1)*s + 1, c], without stridedSlice (which tfjs cannot
 *  differentiate): pad to out*s steps, view as [batch, out, s, c] and keep the first of each s. */
function everyStride(x: tf.Tensor, out: number, stride: number): tf.Tensor {
  if (stride === 1) return x;
  const [batch, , c] = x.shape as [number, number, number];
  const whole = tf.pad(x as tf.Tensor3D, [[0, 0], [0, stride - 1], [0, 0]]);
  return tf.reshape(tf.slice(tf.reshape(whole, [batch, out, stride, c]), [0, 0, 0, 0], [batch, out, 1, c]), [batch, out, c]);
}

/** Cells padded before and after a conv1d, by Keras' rules (same: the odd cell after). */
export function conv1dPadding(n: number, kernel: number, stride: number, dilation: number, padding: "valid" | "same" | "causal" | number): [number, number] {
  const span = dilation * (kernel - 1) + 1;
  if (padding === "causal") return [span - 1, 0];
  if (padding === "valid") return [0, 0];
  if (typeof padding === "number") return [padding, padding];
  const total = Math.max((Math.ceil(n / stride) - 1) * stride + span - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
