// tfjs' resizeNearestNeighbor gradient (behind upSampling2d `nearest`) is wrong once a batch has
// several samples and channels; for gradients the oracle repeats cells by concatenating copies
// (NearestRepeat), whose gradient is a sum of slices.
// tfjs-layers' upSampling2d with `bilinear` calls resizeBilinear without half-pixel centres
// (source o / s, not (o + 0.5) / s - 0.5), which is not LANGUAGE.md's definition; and the CPU
// backend's resizeBilinear gradient fails on non-square images (its gradient comes back with
// height and width swapped). So the oracle's bilinear layer is tf.image.resizeBilinear with
// halfPixelCenters for values, and for gradients the same map written as two interpolation
// matrices (Y = Mh X Mw^T per channel), built from the definition and checked in the harness
// test against resizeBilinear's values.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

/** The [out, n] matrix of half-pixel linear interpolation along an axis of n cells scaled by s. */
export function interpolationMatrix(n: number, s: number): Float32Array {
  const out = n * s;
  const m = new Float32Array(out * n);
  for (let o = 0; o < out; o++) {
    const at = Math.max((o + 0.5) / s - 0.5, 0);
    const low = Math.min(Math.floor(at), n - 1);
    const high = Math.min(low + 1, n - 1);
    const frac = at - low;
    m[o * n + low]! += 1 - frac;
    m[o * n + high]! += frac;
  }
  return m;
}

export class HalfPixelBilinear extends tfl.layers.Layer {
  static readonly className = "HalfPixelBilinear";

  constructor(
    private readonly size: readonly [number, number],
    private readonly forGradients: boolean,
  ) {
    super({});
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, h, w, c] = inputShape as (number | null)[];
    return [batch ?? null, h! * this.size[0], w! * this.size[1], c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const [batch, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    if (!this.forGradients) return tf.image.resizeBilinear(x, [h * sh, w * sw], false, true);
    return tf.tidy(() => {
      const mh = tf.tensor2d(interpolationMatrix(h, sh), [h * sh, h]);
      const mw = tf.tensor2d(interpolationMatrix(w, sw), [w * sw, w]);
      // rows: [h, batch*w*c] -> [h*sh, batch*w*c]; then columns the same way
      const flat = (t: tf.Tensor, rows: number): tf.Tensor2D => tf.reshape(t, [rows, -1]) as tf.Tensor2D;
      const byRows = tf.reshape(tf.matMul(mh, flat(tf.transpose(x, [1, 0, 2, 3]), h)), [h * sh, batch, w, c]);
      const byCols = tf.reshape(tf.matMul(mw, flat(tf.transpose(byRows, [2, 1, 0, 3]), w)), [w * sw, batch, h * sh, c]);
      return tf.transpose(byCols, [1, 2, 0, 3]);
    });
  }
}

/** Nearest-neighbour upsampling as copies: [b, h, 1, w, 1, c] concatenated sh and sw times. */
export class NearestRepeat extends tfl.layers.Layer {
  static readonly className = "NearestRepeat";

  constructor(private readonly size: readonly [number, number]) {
    super({});
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, h, w, c] = inputShape as (number | null)[];
    return [batch ?? null, h! * this.size[0], w! * this.size[1], c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const [batch, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    return tf.tidy(() => {
      const cells = tf.reshape(x, [batch, h, 1, w, 1, c]);
      const rows = tf.concat(Array.from({ length: sh }, () => cells), 2);
      const both = tf.concat(Array.from({ length: sw }, () => rows), 4);
      return tf.reshape(both, [batch, h * sh, w * sw, c]);
    });
  }
}
