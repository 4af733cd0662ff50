// `npx tsx bench/conv-backward.ts`: where a conv2d backward method's time goes on the wasm
// target (f32 builds, f32x4 kernels), per W2 (cifar) conv layer shape: the same layer compiled
// three ways and its bwdN timed per sample: whole (weight + bias + input gradient), as the first
// layer (no input gradient: weight + bias only) and frozen (`trainable: false`: input gradient
// only); with the forward fwdN for its rate, and the forward of the same layer with its channel
// counts swapped (the gather-form input gradient's convolution alone, without its kernel flip
// and dy copy). GFLOP/s count
// 2 * pixels * filters * taps * c per half (and per forward). Medians of the rounds; the host is
// shared (bench/NOTES.md).
import { compile } from "../src/index.js";
import { importTypeScript } from "../test/helpers/load.js";
import { median } from "./stats.js";
import { runForBudget } from "./timing.js";

type Net = Record<string, () => void> & { trainBatch(xs: Float32Array, t: Int32Array, n: number): number };
type NetClass = { new (o: { seed: number }): Net; inputSize: number; prototype: object };

const layers = [
  { name: "bwd2 (32x32, 32->32)", h: 32, c: 32, f: 32 },
  { name: "bwd5 (16x16, 32->64)", h: 16, c: 32, f: 64 },
  { name: "bwd7 (16x16, 64->64)", h: 16, c: 64, f: 64 },
];
const variants = {
  whole: (c: number, f: number) => `conv2d(${c}, kernel: 1) |> conv2d(${f}, kernel: 3, padding: same) |> relu`,
  "weight only (first layer)": (_c: number, f: number) => `conv2d(${f}, kernel: 3, padding: same) |> relu`,
  "input only (frozen)": (c: number, f: number) => `conv2d(${c}, kernel: 1) |> conv2d(${f}, kernel: 3, padding: same, trainable: false) |> relu`,
  // the forward of the transposed problem (f input channels, c filters): the convolution the
  // gather-form input gradient computes over the input channels (bench/NOTES.md)
  "forward f->c (gather form)": (c: number, f: number) => `conv2d(${f}, kernel: 1) |> conv2d(${c}, kernel: 3, padding: same) |> relu`,
};
const rounds = Number(process.env.ROUNDS ?? 5);
const budget = Number(process.env.BUDGET ?? 0.2);

/** Seconds per call of `f`, run for about `budget` seconds. */
function time(f: () => void): number {
  const t = runForBudget(f, budget);
  return t.seconds / t.calls;
}

async function load(source: string, vectorKernels: boolean): Promise<NetClass> {
  const result = await compile(source, { target: "wasm", format: false, vectorKernels });
  if (!result.code) throw new Error(JSON.stringify(result.diagnostics));
  return Object.values(await importTypeScript(result.code))[0] as NetClass;
}

for (const l of layers) {
  const flops = 2 * l.h * l.h * l.f * 9 * l.c;
  console.log(`${l.name}: ${(flops / 1e6).toFixed(1)} MFLOP per half`);
  for (const [name, pipeline] of Object.entries(variants)) {
    const source = `model P {
      input x: [${l.h}, ${l.h}, ${l.c}]
      y = x |> ${pipeline(l.c, l.f)} |> flatten |> dense(10)
      train { loss softmax_cross_entropy(y) optimizer sgd(lr: 0.01) }
    }`;
    const [V, S] = [await load(source, true), await load(source, false)];
    const [v, s] = [new V({ seed: 1 }), new S({ seed: 1 })];
    const xs = Float32Array.from({ length: V.inputSize }, (_, i) => (Math.sin(i) + 1) / 2);
    const ts = Int32Array.of(3);
    v.trainBatch(xs, ts, 1);
    s.trainBatch(xs, ts, 1);
    // the 3x3 conv is the last conv: its methods are the highest-numbered fwd/bwd but the dense's
    const conv = name.startsWith("weight") ? 0 : 1;
    const [fwd, bwd] = [`fwd${conv}`, `bwd${conv}`];
    if (name.startsWith("forward")) {
      const t = [] as number[];
      for (let r = 0; r < rounds; r++) t.push(time(() => v[fwd]!()));
      console.log(`  ${name.padEnd(27)} ${fwd} ${(median(t) * 1e6).toFixed(1)} us (${(flops / median(t) / 1e9).toFixed(1)} GFLOP/s)`);
      continue;
    }
    const times = { fwd: [] as number[], bwd: [] as number[], scalar: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      times.fwd.push(time(() => v[fwd]!()));
      times.bwd.push(time(() => v[bwd]!()));
      times.scalar.push(time(() => s[bwd]!()));
    }
    const [tf, tb, ts_] = [median(times.fwd), median(times.bwd), median(times.scalar)];
    const halves = name === "whole" ? 2 : 1;
    console.log(`  ${name.padEnd(27)} ${bwd} ${(tb * 1e6).toFixed(1)} us (${((halves * flops) / tb / 1e9).toFixed(1)} GFLOP/s; f32x4 x${(ts_ / tb).toFixed(2)})   ${fwd} ${(tf * 1e6).toFixed(1)} us (${(flops / tf / 1e9).toFixed(1)} GFLOP/s)`);
  }
}
