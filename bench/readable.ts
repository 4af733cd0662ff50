// `npx tsx bench/readable.ts`: how much slower the readable build (--readable) of LeNet is than
// the tuned one, interleaved in one process (medians of paired rounds). The figure is quoted in
// the readable module's header and in bench/NOTES.md.
import { readFileSync } from "node:fs";
import { compile } from "../src/index.js";
import { importTypeScript } from "../test/helpers/load.js";
import { median } from "./stats.js";
import { now } from "./timing.js";

type Net = { trainBatch(xs: Float32Array, t: Int32Array, n: number): number; predict(x: Float32Array): Float32Array };

async function load(readable: boolean): Promise<new (o: { seed: number }) => Net> {
  const path = "examples/lenet.cnn";
  const result = await compile(readFileSync(path, "utf8"), { path, readable, format: false });
  if (!result.code) throw new Error("lenet did not compile");
  return (await importTypeScript(result.code)).LeNet;
}

const xs = Float32Array.from({ length: 32 * 784 }, (_, i) => (Math.sin(i) + 1) / 2);
const labels = Int32Array.from({ length: 32 }, (_, i) => i % 10);

/** Seconds per sample of `f` run for about `budget` seconds. */
function time(f: () => void, samples: number, budget: number): number {
  let n = 0;
  const start = now();
  while (now() - start < budget) {
    f();
    n++;
  }
  return (now() - start) / (n * samples);
}

const [Tuned, Readable] = await Promise.all([load(false), load(true)]);
const tuned = new Tuned({ seed: 1 });
const readable = new Readable({ seed: 1 });
const rounds = Number(process.env.ROUNDS ?? 9);
const ratios = { train: [] as number[], infer: [] as number[] };
for (let r = 0; r < rounds; r++) {
  const tt = time(() => tuned.trainBatch(xs, labels, 32), 32, 0.5);
  const rt = time(() => readable.trainBatch(xs, labels, 32), 32, 0.5);
  const ti = time(() => tuned.predict(xs.subarray(0, 784)), 1, 0.3);
  const ri = time(() => readable.predict(xs.subarray(0, 784)), 1, 0.3);
  ratios.train.push(rt / tt);
  ratios.infer.push(ri / ti);
}
console.log(`readable / tuned time, LeNet, median of ${rounds} paired rounds: train batch 32 ${median(ratios.train).toFixed(2)}x, predict ${median(ratios.infer).toFixed(2)}x`);
