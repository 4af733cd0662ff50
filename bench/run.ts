// `npm run bench`: cnnc (both targets) side by side with TensorFlow.js (cpu, wasm), ONNX Runtime (web, node) and ConvNetJS on the workloads
// of issues 4 and 10; prints the Markdown tables and writes bench/RESULTS.md and bench/results.json.
import { writeFileSync } from "node:fs";
import { describeMachine } from "./machine.js";
import { engineNames, parseOptions, usage, type BenchOptions } from "./options.js";
import { measurePeak } from "./peak.js";
import { candidateTiles, prepareWasmPeaks, type TileShape } from "./wasm-peak.js";
import { renderMarkdown } from "./report.js";
import type { RunResult, WorkloadResult } from "./results.js";
import { summarize } from "./stats.js";
import { now } from "./timing.js";
import { runWorkload } from "./workload-run.js";
import { workloads } from "./workloads.js";

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv, workloads.map((w) => w.id));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  const run = await benchmark(options, argv);
  const markdown = renderMarkdown(run);
  console.log(`\n${markdown}`);
  const reason = whyNotWritten(options, run.workloads);
  if (reason) console.log(`bench/RESULTS.md and bench/results.json not written: ${reason}.`);
  else {
    writeFileSync("bench/RESULTS.md", markdown);
    writeFileSync("bench/results.json", `${JSON.stringify(run, null, 2)}\n`);
    console.log("wrote bench/RESULTS.md and bench/results.json");
  }
  return 0;
}

async function benchmark(options: BenchOptions, argv: readonly string[]): Promise<RunResult> {
  const start = now();
  const machine = describeMachine();
  const peaks: number[] = [];
  const cpuPeaks: number[] = [];
  // Without binaryen the run goes on, and the report says the wasm peak was not measured.
  const readWasmPeak = await prepareWasmPeaks().catch((error: unknown) => {
    console.log(`wasm SIMD peak unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  });
  const wasmPeaks: number[] = [];
  const wasmCpuPeaks: number[] = [];
  const wasmTiles: TileShape[] = [];
  // The peaks are measured once per round, in the same process and amid the same noise.
  const measureRound = () => {
    const peak = measurePeak(options.settings.budgetSeconds);
    peaks.push(peak.gflops);
    cpuPeaks.push(peak.cpuGflops);
    if (!readWasmPeak) return;
    const simd = readWasmPeak(options.settings.budgetSeconds);
    wasmPeaks.push(simd.gflops);
    wasmCpuPeaks.push(simd.cpuGflops);
    wasmTiles.push(simd.tile);
  };
  const results: WorkloadResult[] = [];
  for (const workload of workloads.filter((w) => options.workloads.includes(w.id))) {
    results.push(await runWorkload(workload, options.engines, options.settings, measureRound, (line) => console.log(line)));
  }
  return {
    date: new Date().toISOString(),
    command: ["npm run bench", ...(argv.length > 0 ? ["--", ...argv] : [])].join(" "),
    machine,
    settings: options.settings,
    peak: { rounds: peaks, summary: summarize(peaks), cpuRounds: cpuPeaks, cpuSummary: summarize(cpuPeaks) },
    ...(readWasmPeak ? { wasmPeak: { candidates: candidateTiles, tiles: wasmTiles, rounds: wasmPeaks, summary: summarize(wasmPeaks), cpuRounds: wasmCpuPeaks, cpuSummary: summarize(wasmCpuPeaks) } } : {}),
    seconds: now() - start,
    workloads: results,
  };
}

// A partial run must not replace the committed record of a full one.
function whyNotWritten(options: BenchOptions, results: readonly WorkloadResult[]): string | null {
  if (!options.write) return "--no-write";
  if (options.workloads.length !== workloads.length) return "not every workload ran";
  if (options.engines.length !== engineNames.length) return "not every engine ran";
  const missing = results.find((w) => w.cnncError !== null);
  return missing ? `cnnc is missing from ${missing.id}` : null;
}

process.exitCode = await main(process.argv.slice(2));
