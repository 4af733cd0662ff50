// RESULTS.md from one run: header (date, machine, command, method), the scalar peak, then per
// workload the agreement check, samples/s, GFLOP/s, and finally compile figures and targets.
import { forwardAgrees, tolerance, trainingAgrees } from "./agree.js";
import { formatBytes, formatDiff, formatInteger, formatNumber, formatPercent, formatRange, formatRatio, formatSeconds, markdownTable } from "./format.js";
import { cellKey, cells, type Agreement, type Cell, type CellOutcome, type CompileInfo, type EngineResult, type RunResult, type Tile, type WorkloadResult } from "./results.js";
import { median, pairedRatio } from "./stats.js";
import { checkSpeedTarget, compileTargets, findWorkload, roundsOf, speedTargets, wasmCompileTargets, type Basis, type SpeedTarget } from "./targets.js";

const cellHeader = cells.map((c) => `${c.kind} b${c.batch}`);

export function renderMarkdown(run: RunResult): string {
  return [
    "# cnnc benchmark results",
    header(run),
    ...run.workloads.map((w) => workloadSection(w, run)),
    compileSection(run),
    targetsSection(run, 4),
    targetsSection(run, 10),
  ].join("\n\n") + "\n";
}

function header(run: RunResult): string {
  const m = run.machine;
  const s = run.settings;
  return [
    `Run ${run.date} with \`${run.command}\` (${formatSeconds(run.seconds)} in all).`,
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(" / ")}.`,
    "",
    `Method: one process, one thread per engine; a warm-up pass, then ${s.rounds} interleaved rounds in which every cell runs the engines in turn. ` +
      `A timed cell repeats its call for ${formatSeconds(s.budgetSeconds)} (at least once); the figure is the median over rounds with [min–max], and ` +
      `a ratio is the median of the per-round ratios to cnnc, so the host's noise mostly cancels. A cell whose single call is estimated above ` +
      `${formatSeconds(s.maxCallSeconds)} is not timed and shows that estimate with "~". Inputs are 32 seeded samples of uniform [0, 1) pixels with random labels, and successive calls take successive batches of them (at batch 1, each sample in turn: a repeated input would let the branch predictor learn it); ` +
      `all engines start from the same weights (cnnc's seeded initialisation, biases set to small random values so that they are checked too). ` +
      `Engines: cnnc's generated module (f32), \`cnnc\` for the TypeScript target and \`cnnc-wasm\` for \`--target wasm\`; TensorFlow.js 4.22 layers models on the \`cpu\` backend and on the \`wasm\` backend (SIMD binary, no threads), ` +
      `trained with \`optimizer.minimize\` on softmax cross-entropy; ONNX Runtime 1.30 on an ONNX model written from the same weights (NCHW: the weights transposed once when the model is written, the HWC input transposed by the model's first node, inside every timed call), ` +
      `as \`ort-web\` (onnxruntime-web, WebAssembly SIMD, one thread, no proxy worker) and \`ort-node\` (onnxruntime-node, the native CPU library, one intra-op and one inter-op thread; a Node-only reference), inference only, each call awaited; ConvNetJS 0.3.0 with its \`Trainer\` (one step per batch).`,
    "",
    `Every timed cell is read two ways: samples per wall-clock second (what the issue's targets mean) and samples per CPU second of the ` +
      `process (the work's cost without the time spent waiting for a core, steadier when other jobs share the host).`,
    "",
    `**JS scalar peak** (8 accumulators, a multiply and an add per accumulator per Float32Array element, 4 KiB in L1), measured once a round: ` +
      `best **${formatNumber(run.peak.summary.max)} GFLOP/s** wall clock (median ${formatNumber(run.peak.summary.median)}, min ${formatNumber(run.peak.summary.min)}), ` +
      `best **${formatNumber(run.peak.cpuSummary.max)} GFLOP/s** per CPU second (median ${formatNumber(run.peak.cpuSummary.median)}). ` +
      `Noise only ever slows a loop this tight, so the best round is the machine's limit and the fractions of peak below divide by it.`,
    "",
    wasmPeakLine(run),
  ].join("\n");
}

function wasmPeakLine(run: RunResult): string {
  const p = run.wasmPeak;
  if (!p) return "**Wasm SIMD peak**: not measured in this run.";
  const best = p.tiles[p.rounds.indexOf(p.summary.max)];
  const tileName = (t: Tile) => `${t.rows}x${4 * t.vectors}${t.unroll > 1 ? ` (k unrolled ${t.unroll}x)` : ""}`;
  return (
    `**Wasm SIMD peak** (a matrix-product micro-kernel built with binaryen: rows x columns f32 accumulators in v128 locals, ` +
    `one f32x4 multiply and one add each per step of k over panels in L1; each round runs the tiles ${p.candidates.map(tileName).join(", ")} in turn and keeps the fastest), measured once a round: ` +
    `best **${formatNumber(p.summary.max)} GFLOP/s** wall clock${best ? ` (tile ${tileName(best)})` : ""} (median ${formatNumber(p.summary.median)}, min ${formatNumber(p.summary.min)}), ` +
    `best **${formatNumber(p.cpuSummary.max)} GFLOP/s** per CPU second (median ${formatNumber(p.cpuSummary.median)}).`
  );
}

function workloadSection(w: WorkloadResult, run: RunResult): string {
  const optimizer = w.optimizer.momentum > 0 ? `SGD lr ${w.optimizer.lr}, momentum ${w.optimizer.momentum}` : `plain SGD lr ${w.optimizer.lr}`;
  const flopsNote = w.flopsFrom === "analyze" ? "from cnnc's analyze()" : "counted by the harness: cnnc unavailable";
  const lines = [
    `## ${w.title}`,
    `Source \`${w.source}\`; ${formatNumber(w.flops / 1e6)} MFLOP forward per sample (${flopsNote}; training counts 3x); ${formatInteger(w.params)} parameters; ${optimizer}.`,
  ];
  if (w.cnncError) lines.push(`**cnnc is missing from this run**: ${w.cnncError}`);
  if (w.wasm?.error) lines.push(`**cnnc --target wasm did not build**: ${w.wasm.error}`);
  lines.push(`Agreement (max |Δ| of the softmax output vs ${referenceOf(w)}, tolerance ${tolerance}; "after step": after one training step on the same 2 samples):`);
  lines.push(markdownTable(["engine", "forward", "after step", "step loss", "verdict"], w.engines.map(agreementRow)));
  lines.push("Samples per second (wall clock), median [min–max] · ratio to cnnc:");
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => speedCell(w, e, c, "wall"))])));
  lines.push("Samples per CPU second, median [min–max] · ratio to cnnc:");
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => speedCell(w, e, c, "cpu"))])));
  lines.push(`GFLOP/s, wall clock / per CPU second (multiply-add = 2; training = 3x forward), and its fraction of the wasm SIMD peak measured the same way; for cnnc also of the JS scalar peak:`);
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => gflopsCell(w, e, c, run))])));
  return lines.join("\n\n");
}

function referenceOf(w: WorkloadResult): string {
  return w.engines.find((e) => e.agreement)?.agreement?.reference ?? "cnnc";
}

function agreementRow(e: EngineResult): string[] {
  if (e.setupError) return [e.name, "—", "—", "—", `setup fails: ${e.setupError}`];
  const a = e.agreement;
  if (!a) return [e.name, "—", "—", "—", "not checked"];
  return [e.name, formatDiff(a.forwardDiff), formatDiff(a.stepDiff), a.loss === null ? "—" : a.loss.toFixed(6), agreementVerdict(e.name, a)];
}

function agreementVerdict(name: string, a: Agreement): string {
  if (a.forwardError) return `forward fails: ${a.forwardError}`;
  if (!forwardAgrees(a)) return "disagrees: not timed";
  if (a.trainError) return "inference agrees; training fails";
  if (a.trainSkipped) return "inference agrees; training too slow to check";
  if (!trainingAgrees(a)) return "inference agrees; training step disagrees";
  return a.reference === name ? "reference" : "agrees";
}

function speedCell(w: WorkloadResult, e: EngineResult, cell: Cell, basis: Basis): string {
  const outcome = e.cells[cellKey(cell)];
  if (!outcome) return e.setupError ? `fails: ${e.setupError}` : "not run";
  if (outcome.status !== "measured") return unmeasured(outcome);
  const rounds = roundsOf(w, e.name, cell, basis);
  if (!rounds) return "no rounds";
  const text = `${formatNumber(median(rounds))} ${formatRange(Math.min(...rounds), Math.max(...rounds))}`;
  const cnnc = roundsOf(w, "cnnc", cell, basis);
  return e.name === "cnnc" || !cnnc ? text : `${text} · ${formatRatio(pairedRatio(rounds, cnnc))}`;
}

function gflopsCell(w: WorkloadResult, e: EngineResult, cell: Cell, run: RunResult): string {
  const outcome = e.cells[cellKey(cell)];
  const perSample = (w.flops * (cell.kind === "train" ? 3 : 1)) / 1e9;
  if (outcome?.status === "too-slow") return `~${formatNumber(outcome.estimate * perSample)} wall`;
  const wall = roundsOf(w, e.name, cell, "wall");
  const cpu = roundsOf(w, e.name, cell, "cpu");
  if (!wall || !cpu) return "—";
  const [wallRate, cpuRate] = [median(wall) * perSample, median(cpu) * perSample];
  const text = `${formatNumber(wallRate)} / ${formatNumber(cpuRate)}`;
  const fractions: string[] = [];
  if (e.name === "cnnc") fractions.push(`${formatPercent(wallRate / run.peak.summary.max)} / ${formatPercent(cpuRate / run.peak.cpuSummary.max)} of JS peak`);
  if (run.wasmPeak) fractions.push(`${formatPercent(wallRate / run.wasmPeak.summary.max)} / ${formatPercent(cpuRate / run.wasmPeak.cpuSummary.max)} of wasm peak`);
  return fractions.length > 0 ? `${text} (${fractions.join("; ")})` : text;
}

function unmeasured(outcome: Exclude<CellOutcome, { status: "measured" }>): string {
  switch (outcome.status) {
    case "fails":
      return `fails: ${outcome.reason}`;
    case "disagrees":
      return `not timed: ${outcome.reason}`;
    case "too-slow":
      return `~${formatNumber(outcome.estimate)} (not timed: one call ≈ ${formatSeconds(outcome.callSeconds)})`;
  }
}

function compileSection(run: RunResult): string {
  const row = (w: WorkloadResult, target: string, c: WorkloadResult["compile"], error: string | null) =>
    c
      ? [w.id, target, `\`${w.source}\``, freshText(c), formatSeconds(c.coldSeconds), formatSeconds(c.warmSeconds), formatBytes(c.bytes), formatInteger(c.lines)]
      : [w.id, target, `\`${w.source}\``, error ? `fails: ${error}` : "—", "—", "—", "—", "—"];
  const rows = run.workloads.flatMap((w) => [row(w, "ts", w.compile, null), ...(w.wasm ? [row(w, "wasm", w.wasm.compile, w.wasm.error)] : [])]);
  return ["## Compiling", `\`compile()\` per target: the one call of a fresh process (what the CLI's user waits for: parser, checker and emitter code not yet optimised by V8), then in this process the first call (after earlier workloads' and targets' compiles, so only the very first is cold) and the median of ${run.settings.compileRepeats} more; the generated module's size and lines after prettier.`, markdownTable(["workload", "target", "source", "fresh process", "first in this process", "warm", "generated size", "lines"], rows)].join("\n\n");
}

function freshText(c: CompileInfo): string {
  return c.freshSeconds === undefined || Number.isNaN(c.freshSeconds) ? "—" : formatSeconds(c.freshSeconds);
}

function targetsSection(run: RunResult, issue: 4 | 10): string {
  const rows = speedTargets
    .filter((t) => t.issue === issue)
    .map((t) => [`${t.workload.toUpperCase()} ${t.cell.kind} b${t.cell.batch}`, describeTarget(t), ...targetMeasure(run, t, "wall"), ...targetMeasure(run, t, "cpu")]);
  const [engine, limits] = issue === 4 ? ["cnnc", compileTargets] : ["cnnc --target wasm", wasmCompileTargets];
  for (const [id, limit] of Object.entries(limits)) {
    const w = findWorkload(run, id);
    const compile = issue === 4 ? w?.compile : w?.wasm?.compile;
    // Issue 4's record judged the first compile() of the harness's process; issue 10's is judged
    // on a fresh process, since the wasm build never comes first in the harness's.
    const first = compile ? (issue === 4 ? compile.coldSeconds : compile.freshSeconds) : undefined;
    const measured = compile ? `${issue === 4 ? formatSeconds(compile.coldSeconds) : freshText(compile)} first${issue === 4 ? "" : " (fresh process)"}, ${formatSeconds(compile.warmSeconds)} warm` : "not measured";
    rows.push([`${id.toUpperCase()} compile`, `< ${formatSeconds(limit)}`, measured, verdict(first === undefined || Number.isNaN(first) ? null : first < limit), "—", "—"]);
  }
  const header = ["cell", "target", "wall clock (median)", "met", "per CPU second", "met"];
  return [`## Targets of issue ${issue} (${engine})`, "Met or not by the wall clock, as the issue defines them; the CPU-time reading shows what a quiet host would likely give. A ratio is to the fastest of the engines named, in the same rounds.", markdownTable(header, rows)].join("\n\n");
}

function describeTarget(t: SpeedTarget): string {
  const parts: string[] = [];
  if (t.minSamplesPerSecond !== undefined) parts.push(`>= ${formatNumber(t.minSamplesPerSecond)}/s`);
  for (const v of t.versus ?? []) parts.push(`>= ${v.ratio}x ${v.engines.length > 1 ? `the faster of ${v.engines.join(" and ")}` : v.engines[0]}`);
  if (t.minWasmPeakFraction !== undefined) parts.push(`>= ${formatPercent(t.minWasmPeakFraction)} of the wasm peak`);
  return parts.join(" and ");
}

function targetMeasure(run: RunResult, t: SpeedTarget, basis: Basis): [string, string] {
  const peak = run.wasmPeak ? (basis === "wall" ? run.wasmPeak.summary.max : run.wasmPeak.cpuSummary.max) : null;
  const { value, ratios, peakFraction, met } = checkSpeedTarget(t, findWorkload(run, t.workload), basis, peak);
  if (value === null) return ["not measured", "—"];
  const notes = (t.versus ?? []).flatMap((v, i) => {
    const ratio = ratios[i];
    return ratio === null || ratio === undefined ? [] : [`${formatRatio(ratio)} ${v.engines.join("/")}`];
  });
  if (peakFraction !== null) notes.push(`${formatPercent(peakFraction)} of wasm peak`);
  return [`${formatNumber(value)}/s${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`, verdict(met)];
}

function verdict(met: boolean | null): string {
  return met === null ? "—" : met ? "yes" : "**no**";
}
