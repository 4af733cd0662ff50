// `npx tsx bench/wasm.ts [lenet|cifar|digits-bn|path/to/model.cnn]`: the wasm target (--target wasm) against the TypeScript
// target on one example (or any .cnn file, e.g. bench/w1.cnn), interleaved in one process (medians of paired rounds), per cell and
// per layer method (fwdN / bwdN / step), so the share of each kernel is visible before one is
// tuned; and the wasm build against itself with every kernel scalar (vectorKernels: false, the
// build before the f32x4 kernels), in the same rounds. Ratios, not absolute numbers: the host is
// shared. Recorded in bench/NOTES.md.
import { readFileSync } from "node:fs";
import { compile } from "../src/index.js";
import { importTypeScript } from "../test/helpers/load.js";
import { median } from "./stats.js";
import { now } from "./timing.js";

type Net = Record<string, (...args: unknown[]) => unknown> & {
  trainBatch(xs: Float32Array, t: Int32Array, n: number): number;
  predict(x: Float32Array): Float32Array;
  predictBatch(xs: Float32Array, n: number): Float32Array;
};
type NetClass = { new (o: { seed: number }): Net; inputSize: number; outputSize: number; name: string };

const example = process.argv[2] ?? "lenet";
// an example's name, or a path to a .cnn file (bench/w1.cnn: the benchmark's W1 itself)
const path = example.endsWith(".cnn") ? example : `examples/${example}.cnn`;

async function load(target: "ts" | "wasm", vectorKernels = true): Promise<NetClass> {
  const result = await compile(readFileSync(path, "utf8"), { path, target, format: false, vectorKernels });
  if (!result.code) throw new Error(`${path} did not compile`);
  return Object.values(await importTypeScript(result.code))[0] as NetClass;
}

/** Seconds per call of `f`, run for about `budget` seconds. */
function time(f: () => void, budget: number): number {
  let n = 0;
  const start = now();
  while (now() - start < budget) {
    f();
    n++;
  }
  return (now() - start) / n;
}

const [Ts, Wasm, Scalar] = [await load("ts"), await load("wasm"), await load("wasm", false)];
const n = 32;
const xs = Float32Array.from({ length: n * Ts.inputSize }, (_, i) => (Math.sin(i) + 1) / 2);
const labels = Int32Array.from({ length: n }, (_, i) => i % Ts.outputSize);
const [ts, wasm, scalar] = [new Ts({ seed: 1 }), new Wasm({ seed: 1 }), new Scalar({ seed: 1 })];
// the per-layer methods, in the order the passes call them
// (a layer-major model's per-sample methods take their sample's offsets: left out, as are the
// methods over the whole batch, which take n)
const methods = Object.getOwnPropertyNames(Ts.prototype).filter((m) => (/^(fwd|bwd)\d+$/.test(m) || m === "step") && (Ts.prototype as unknown as Record<string, () => void>)[m]!.length === 0);
const rounds = Number(process.env.ROUNDS ?? 7);
const budget = Number(process.env.BUDGET ?? 0.3);
const cells: Record<string, (net: Net) => void> = {
  "train b32": (net) => void net.trainBatch(xs, labels, n),
  // a batch of one: the batch block's smallest (its product over one slot, src/emit/kernels/dense-simd.ts)
  "train b1": (net) => void net.trainBatch(xs.subarray(0, Ts.inputSize), labels.subarray(0, 1), 1),
  "infer b1": (net) => void net.predict(xs.subarray(0, Ts.inputSize)),
  "infer b32": (net) => void net.predictBatch(xs, n),
};
const ratios = new Map<string, number[]>();
const gains = new Map<string, number[]>();
const wasmTimes = new Map<string, number[]>();
const push = (map: Map<string, number[]>, key: string, v: number): void => void map.set(key, [...(map.get(key) ?? []), v]);
for (let r = 0; r < rounds; r++) {
  for (const [cell, f] of Object.entries(cells)) {
    const [t, w, sc] = [time(() => f(ts), budget), time(() => f(wasm), budget), time(() => f(scalar), budget)];
    push(ratios, cell, t / w);
    push(gains, cell, sc / w);
  }
  // each layer method alone, on the state the last training step left
  for (const m of methods) {
    const [t, w, sc] = [time(() => ts[m]!(), budget / 4), time(() => wasm[m]!(), budget / 4), time(() => scalar[m]!(), budget / 4)];
    push(ratios, m, t / w);
    push(gains, m, sc / w);
    push(wasmTimes, m, w);
  }
}
console.log(`${Ts.name}: ts time / wasm time (> 1: wasm faster); scalar wasm time / wasm time (what the f32x4 kernels bought); medians of ${rounds} paired rounds`);
for (const [key, values] of ratios) {
  const w = wasmTimes.get(key);
  console.log(`  ${key.padEnd(10)} x${median(values).toFixed(2)}   f32x4 x${median(gains.get(key)!).toFixed(2)}${w ? `   wasm ${(median(w) * 1e6).toFixed(1)} us` : ""}`);
}
