// Central-difference gradient checking in float64, with PyTorch gradcheck's tolerances.
import { loadModel } from "./load.js";

export const EPS = 1e-6;
export const RTOL = 1e-3;
export const ATOL = 1e-5;

/** A small deterministic PRNG for test data (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Mismatch {
  readonly what: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

export interface GradcheckResult {
  readonly checked: number;
  readonly mismatches: Mismatch[];
  /** entries where the loss has a kink within eps (a ReLU or max-pool switching): the left
   *  and right differences disagree, so no finite difference can judge them */
  readonly kinks: number;
}

type Targets = Float64Array | Int32Array;

/** Random inputs and targets that suit the model's loss. */
export function batchFor(Model: any, loss: string, n: number, seed: number): { xs: Float64Array; ts: Targets } {
  const r = rng(seed);
  const xs = new Float64Array(n * Model.inputSize).map(() => r() * 2 - 1);
  const targetSize = Model.outputSize;
  if (loss === "softmax_cross_entropy") return { xs, ts: new Int32Array(n).map(() => Math.floor(r() * targetSize)) };
  if (loss === "binary_cross_entropy") return { xs, ts: new Float64Array(n * targetSize).map(() => (r() < 0.5 ? 0 : 1)) };
  return { xs, ts: new Float64Array(n * targetSize).map(() => r() * 2 - 1) };
}

/** Where the analytic gradients come from when they are not the differenced net's own: another
 *  build of the same model holding the same weights (the wasm target's f32 build), and the
 *  absolute tolerance for it. */
export interface Analytic {
  readonly net: any;
  readonly atol: number;
}

/**
 * Compares computeGradients' parameter and input gradients with central differences of the
 * loss. `sample` limits how many entries of each tensor are checked (all when undefined).
 */
export function gradcheck(net: any, xs: Float64Array, ts: Targets, n: number, sample?: number, seed = 1, analytic?: Analytic): GradcheckResult {
  const r = rng(seed);
  const pick = (size: number): number[] => {
    const all = Array.from({ length: size }, (_, i) => i);
    if (sample === undefined || sample >= size) return all;
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, sample);
  };
  const mismatches: Mismatch[] = [];
  let checked = 0;
  let kinks = 0;
  const atol = analytic?.atol ?? ATOL;
  const close = (a: number, numeric: number): boolean => Math.abs(a - numeric) <= atol + RTOL * Math.abs(numeric);
  const compare = (what: string, index: number, analytic: number, plus: number, minus: number): void => {
    checked++;
    const numeric = (plus - minus) / (2 * EPS);
    if (close(analytic, numeric)) return;
    const right = (plus - base) / EPS;
    const left = (base - minus) / EPS;
    if (!close(left, right)) kinks++;
    else mismatches.push({ what, index, analytic, numeric });
  };
  const base = net.computeGradients(xs, ts, n);
  const source = analytic?.net ?? net;
  if (analytic) source.computeGradients(xs, ts, n);
  const grads = source.getGradients();
  const inputGrad: Float64Array = source.getInputGradients();
  const weights = net.getWeights();
  weights.forEach((w: { name: string; data: Float64Array }, k: number) => {
    for (const i of pick(w.data.length)) {
      const original = w.data[i]!;
      w.data[i] = original + EPS;
      net.setWeights(weights);
      const plus = net.computeGradients(xs, ts, n);
      w.data[i] = original - EPS;
      net.setWeights(weights);
      const minus = net.computeGradients(xs, ts, n);
      w.data[i] = original;
      compare(w.name, i, grads[k].data[i], plus, minus);
    }
  });
  net.setWeights(weights);
  for (const i of pick(xs.length)) {
    const x = xs.slice();
    x[i] = xs[i]! + EPS;
    const plus = net.computeGradients(x, ts, n);
    x[i] = xs[i]! - EPS;
    const minus = net.computeGradients(x, ts, n);
    compare("input", i, inputGrad[i]!, plus, minus);
  }
  return { checked, mismatches, kinks };
}

/** The f32 wasm build's gradients (its conv2d and dense forward kernels f32x4) against float64
 *  central differences of the f64 TypeScript build of the same model holding the same weights
 *  (the wasm build's, which float64 holds exactly), on inputs float32 holds exactly. */
export async function gradcheckWasmF32(source: string, loss: string, options: { n?: number; sample?: number; seed?: number; batchBlock?: number; batchBlockMin?: number } = {}): Promise<GradcheckResult & { forward: number; gradients: number }> {
  const [ref, f32] = await Promise.all([
    loadModel(source, { precision: "f64", inputGradient: true, format: false }),
    loadModel(source, { precision: "f32", inputGradient: true, format: false, target: "wasm", batchBlock: options.batchBlock, batchBlockMin: options.batchBlockMin }),
  ]);
  const [Ref, F32] = [Object.values(ref)[0] as any, Object.values(f32)[0] as any];
  const seed = options.seed ?? 7;
  const wasm = new F32({ seed });
  const net = new Ref({ seed });
  net.setWeights(wasm.getWeights().map((w: { name: string; data: Float32Array }) => ({ ...w, data: Float64Array.from(w.data) })));
  const n = options.n ?? 2;
  const batch = batchFor(Ref, loss, n, seed + 1);
  const xs = Float64Array.from(Float32Array.from(batch.xs));
  const forward = relativeError(wasm.predictBatch(Float32Array.from(xs), n), net.predictBatch(xs, n));
  const result = gradcheck(net, xs, batch.ts, n, options.sample, 1, { net: wasm, atol: 1e-4 });
  // the atol 1e-4 is loose for small gradients: every gradient is also compared with the
  // f64 build's analytic one (itself checked to atol 1e-5), relative to the tensor's scale
  net.computeGradients(xs, batch.ts, n);
  wasm.computeGradients(xs, batch.ts, n);
  const [gw, gr] = [wasm.getGradients(), net.getGradients()];
  const errors = [relativeError(wasm.getInputGradients(), net.getInputGradients()), ...gr.map((g: { data: Float64Array }, k: number) => relativeError(gw[k].data, g.data))];
  return { ...result, forward, gradients: Math.max(...errors) };
}

/** The largest difference of two tensors relative to the reference's largest magnitude. */
/** The largest difference of two tensors relative to the reference's largest magnitude
 *  (Infinity for a length mismatch, which fails any bound). */
export function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) return Infinity;
  let [diff, scale] = [0, 0];
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Compiles in f64 with the input gradient, builds the model and checks it. */
export async function gradcheckSource(source: string, loss: string, options: { n?: number; sample?: number; seed?: number; readable?: boolean; target?: "ts" | "wasm" } = {}): Promise<GradcheckResult> {
  const mod = await loadModel(source, { precision: "f64", inputGradient: true, format: false, readable: options.readable ?? false, target: options.target ?? "ts" });
  const Model = Object.values(mod)[0] as any;
  const net = new Model({ seed: options.seed ?? 7 });
  const n = options.n ?? 2;
  const { xs, ts } = batchFor(Model, loss, n, (options.seed ?? 7) + 1);
  return gradcheck(net, xs, ts, n, options.sample);
}
