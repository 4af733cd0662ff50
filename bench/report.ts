// RESULTS.md from one run: header (date, machine, command, method), the scalar peak, then per
// workload the agreement check, samples/s, GFLOP/s, and finally compile figures and targets.
import { forwardAgrees, tolerance, trainingAgrees } from "./agree.js";
import { formatBytes, formatDiff, formatInteger, formatNumber, formatPercent, formatRange, formatRatio, formatSeconds, markdownTable } from "./format.js";
import { cellKey, cells, type Agreement, type Cell, type CellOutcome, type EngineResult, type RunResult, type WorkloadResult } from "./results.js";
import { median, pairedRatio } from "./stats.js";
import { checkSpeedTarget, compileTargets, findWorkload, roundsOf, speedTargets, type Basis, type SpeedTarget } from "./targets.js";

const cellHeader = cells.map((c) => `${c.kind} b${c.batch}`);

export function renderMarkdown(run: RunResult): string {
  return [
    "# cnnc benchmark results",
    header(run),
    ...run.workloads.map((w) => workloadSection(w, run.peak)),
    compileSection(run),
    targetsSection(run),
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
      `Engines: cnnc's generated module (f32); TensorFlow.js 4.22 layers models on the \`cpu\` backend and on the \`wasm\` backend (SIMD binary, no threads), ` +
      `trained with \`optimizer.minimize\` on softmax cross-entropy; ConvNetJS 0.3.0 with its \`Trainer\` (one step per batch).`,
    "",
    `Every timed cell is read two ways: samples per wall-clock second (what the issue's targets mean) and samples per CPU second of the ` +
      `process (the work's cost without the time spent waiting for a core, steadier when other jobs share the host).`,
    "",
    `**JS scalar peak** (8 accumulators, a multiply and an add per accumulator per Float32Array element, 4 KiB in L1), measured once a round: ` +
      `best **${formatNumber(run.peak.summary.max)} GFLOP/s** wall clock (median ${formatNumber(run.peak.summary.median)}, min ${formatNumber(run.peak.summary.min)}), ` +
      `best **${formatNumber(run.peak.cpuSummary.max)} GFLOP/s** per CPU second (median ${formatNumber(run.peak.cpuSummary.median)}). ` +
      `Noise only ever slows a loop this tight, so the best round is the machine's limit and the fractions of peak below divide by it.`,
  ].join("\n");
}

function workloadSection(w: WorkloadResult, peak: RunResult["peak"]): string {
  const optimizer = w.optimizer.momentum > 0 ? `SGD lr ${w.optimizer.lr}, momentum ${w.optimizer.momentum}` : `plain SGD lr ${w.optimizer.lr}`;
  const flopsNote = w.flopsFrom === "analyze" ? "from cnnc's analyze()" : "counted by the harness: cnnc unavailable";
  const lines = [
    `## ${w.title}`,
    `Source \`${w.source}\`; ${formatNumber(w.flops / 1e6)} MFLOP forward per sample (${flopsNote}; training counts 3x); ${formatInteger(w.params)} parameters; ${optimizer}.`,
  ];
  if (w.cnncError) lines.push(`**cnnc is missing from this run**: ${w.cnncError}`);
  lines.push(`Agreement (max |Δ| of the softmax output vs ${referenceOf(w)}, tolerance ${tolerance}; "after step": after one training step on the same 2 samples):`);
  lines.push(markdownTable(["engine", "forward", "after step", "step loss", "verdict"], w.engines.map(agreementRow)));
  lines.push("Samples per second (wall clock), median [min–max] · ratio to cnnc:");
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => speedCell(w, e, c, "wall"))])));
  lines.push("Samples per CPU second, median [min–max] · ratio to cnnc:");
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => speedCell(w, e, c, "cpu"))])));
  lines.push(`GFLOP/s, wall clock / per CPU second (multiply-add = 2; training = 3x forward); for cnnc also its fraction of the scalar peak measured the same way:`);
  lines.push(markdownTable(["engine", ...cellHeader], w.engines.map((e) => [e.name, ...cells.map((c) => gflopsCell(w, e, c, peak))])));
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
  if (!outcome) return e.setupError ? "—" : "not run";
  if (outcome.status !== "measured") return unmeasured(outcome);
  const rounds = roundsOf(w, e.name, cell, basis);
  if (!rounds) return "no rounds";
  const text = `${formatNumber(median(rounds))} ${formatRange(Math.min(...rounds), Math.max(...rounds))}`;
  const cnnc = roundsOf(w, "cnnc", cell, basis);
  return e.name === "cnnc" || !cnnc ? text : `${text} · ${formatRatio(pairedRatio(rounds, cnnc))}`;
}

function gflopsCell(w: WorkloadResult, e: EngineResult, cell: Cell, peak: RunResult["peak"]): string {
  const outcome = e.cells[cellKey(cell)];
  const perSample = (w.flops * (cell.kind === "train" ? 3 : 1)) / 1e9;
  if (outcome?.status === "too-slow") return `~${formatNumber(outcome.estimate * perSample)} wall`;
  const wall = roundsOf(w, e.name, cell, "wall");
  const cpu = roundsOf(w, e.name, cell, "cpu");
  if (!wall || !cpu) return "—";
  const [wallRate, cpuRate] = [median(wall) * perSample, median(cpu) * perSample];
  const text = `${formatNumber(wallRate)} / ${formatNumber(cpuRate)}`;
  if (e.name !== "cnnc") return text;
  return `${text} (${formatPercent(wallRate / peak.summary.max)} / ${formatPercent(cpuRate / peak.cpuSummary.max)} of peak)`;
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
  const rows = run.workloads.map((w) =>
    w.compile
      ? [w.id, `\`${w.source}\``, formatSeconds(w.compile.coldSeconds), formatSeconds(w.compile.warmSeconds), formatBytes(w.compile.bytes), formatInteger(w.compile.lines)]
      : [w.id, `\`${w.source}\``, "—", "—", "—", "—"],
  );
  return ["## Compiling", `\`compile()\` in this process: the first call (parser, checker and emitter code not yet optimised by V8), then the median of ${run.settings.compileRepeats} more; the generated module's size and lines after prettier.`, markdownTable(["workload", "source", "first compile()", "warm compile()", "generated size", "lines"], rows)].join("\n\n");
}

function targetsSection(run: RunResult): string {
  const rows = speedTargets.map((t) => {
    const versus = t.versus ? ` and >= ${t.versus.ratio}x ${t.versus.engine}` : "";
    return [`${t.workload.toUpperCase()} ${t.cell.kind} b${t.cell.batch}`, `>= ${formatNumber(t.minSamplesPerSecond)}/s${versus}`, ...targetMeasure(run, t, "wall"), ...targetMeasure(run, t, "cpu")];
  });
  for (const [id, limit] of Object.entries(compileTargets)) {
    const compile = findWorkload(run, id)?.compile;
    const measured = compile ? `${formatSeconds(compile.coldSeconds)} first, ${formatSeconds(compile.warmSeconds)} warm` : "not measured";
    rows.push([`${id.toUpperCase()} compile`, `< ${formatSeconds(limit)}`, measured, verdict(compile ? compile.coldSeconds < limit : null), "—", "—"]);
  }
  const header = ["cell", "target", "wall clock (median)", "met", "per CPU second", "met"];
  return ["## Targets of issue 4 (cnnc)", "Met or not by the wall clock, as the issue defines them; the CPU-time reading shows what a quiet host would likely give.", markdownTable(header, rows)].join("\n\n");
}

function targetMeasure(run: RunResult, t: SpeedTarget, basis: Basis): [string, string] {
  const { value, ratio, met } = checkSpeedTarget(t, findWorkload(run, t.workload), basis);
  if (value === null) return ["not measured", "—"];
  const versus = ratio === null ? "" : ` (${formatRatio(ratio)} ${t.versus?.engine})`;
  return [`${formatNumber(value)}/s${versus}`, verdict(met)];
}

function verdict(met: boolean | null): string {
  return met === null ? "—" : met ? "yes" : "**no**";
}
