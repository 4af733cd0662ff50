// Keras layouts (HWC activations, [kh, kw, in, out] kernels) to ONNX's NCHW ones. The weights are
// rearranged once, when the model is written, so no engine pays for it at run time.

/** [kh, kw, cin, cout] (Keras) to [cout, cin, kh, kw] (ONNX Conv's W). */
export function convKernelToOihw(data: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const [kh = 1, kw = 1, cin = 1, cout = 1] = shape;
  const out = new Float32Array(kh * kw * cin * cout);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o]!;
      }
    }
  }
  return out;
}

/**
 * The kernel [in, out] of a dense layer that follows a flatten of an [h, w, c] tensor: Keras
 * numbers the flattened inputs in HWC order, ONNX's Flatten of an NCHW tensor in CHW order, so
 * the rows are reordered to match (the columns, the units, stay).
 */
export function denseRowsHwcToChw(data: ArrayLike<number>, units: number, hwc: readonly [number, number, number]): Float32Array {
  const [h, w, c] = hwc;
  const out = new Float32Array(h * w * c * units);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        const from = ((y * w + x) * c + ch) * units;
        const to = ((ch * h + y) * w + x) * units;
        for (let u = 0; u < units; u++) out[to + u] = data[from + u]!;
      }
    }
  }
  return out;
}
