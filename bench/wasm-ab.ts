// `A=/path/to/other/checkout npx tsx bench/wasm-ab.ts model.cnn [method regex]`: the same model
// compiled for --target wasm by two checkouts' compilers (A, default /work/main; B, default this
// one), each layer method (fwdN / bwdN, or those the regex matches) and with TRAIN=1 the
// training batch timed in turn, A and B alternating which goes first, for ROUNDS rounds of
// BUDGET CPU seconds each. Times are this process's CPU time (process.cpuUsage), not wall time:
// on a shared host the time it is descheduled is not counted. Prints the medians of each side and
// the median of the per-round A/B ratios (> 1: B faster). A/A (both the same checkout) reads
// within a few per cent of 1 at a load of 10-15 on 2 cores (bench/NOTES.md).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { median } from "./stats.js";

type Net = Record<string, () => void> & { trainBatch(xs: Float32Array, t: Int32Array, n: number): number };
type NetClass = { new (o: { seed: number }): Net; inputSize: number; outputSize: number; prototype: Record<string, { length: number }> };

const [A, B] = [process.env.A ?? "/work/main", process.env.B ?? resolve(import.meta.dirname, "..")];
const path = process.argv[2] ?? "examples/lenet.cnn";
const only = new RegExp(process.argv[3] ?? "^(fwd|bwd)\\d+$");
const rounds = Number(process.env.ROUNDS ?? 7);
const budget = Number(process.env.BUDGET ?? 0.05);

async function load(root: string): Promise<NetClass> {
  const { compile } = await import(`${root}/src/index.ts`);
  const { importTypeScript } = await import(`${root}/test/helpers/load.ts`);
  const result = await compile(readFileSync(path, "utf8"), { path, target: "wasm", format: false });
  if (!result.code) throw new Error(`${path} did not compile with ${root}`);
  return Object.values(await importTypeScript(result.code))[0] as NetClass;
}

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU seconds per call of `f`, in batches of 20 calls until `budget` CPU seconds. */
function time(f: () => void): number {
  let calls = 0;
  const start = cpu();
  while (cpu() - start < budget) {
    for (let i = 0; i < 20; i++) f();
    calls += 20;
  }
  return (cpu() - start) / calls;
}

const [ClassA, ClassB] = [await load(A), await load(B)];
const n = 32;
const xs = Float32Array.from({ length: n * ClassA.inputSize }, (_, i) => (Math.sin(i) + 1) / 2);
const labels = Int32Array.from({ length: n }, (_, i) => i % ClassA.outputSize);
const [a, b] = [new ClassA({ seed: 1 }), new ClassB({ seed: 1 })];
a.trainBatch(xs, labels, n);
b.trainBatch(xs, labels, n);
const methods = Object.getOwnPropertyNames(ClassA.prototype).filter((m) => only.test(m) && ClassA.prototype[m]!.length === 0);
const tasks: [string, (net: Net) => void][] = [...(process.env.TRAIN ? [["train b32", (net: Net) => void net.trainBatch(xs, labels, n)] as [string, (net: Net) => void]] : []), ...methods.map((m) => [m, (net: Net) => net[m]!()] as [string, (net: Net) => void])];
const times = new Map<string, { a: number[]; b: number[] }>();
for (let r = 0; r < rounds; r++)
  for (const [name, f] of tasks) {
    const t = times.get(name) ?? { a: [], b: [] };
    if (r % 2 === 0) [t.a[r], t.b[r]] = [time(() => f(a)), time(() => f(b))];
    else [t.b[r], t.a[r]] = [time(() => f(b)), time(() => f(a))];
    times.set(name, t);
  }
console.log(`${path}: us of CPU per call, A ${A}, B ${B}; medians of ${rounds} rounds, and of the rounds' A/B`);
for (const [name, t] of times)
  console.log(`  ${name.padEnd(10)} A ${(median(t.a) * 1e6).toFixed(2).padStart(9)}  B ${(median(t.b) * 1e6).toFixed(2).padStart(9)}  A/B x${median(t.a.map((x, i) => x / t.b[i]!)).toFixed(3)}`);
