// One workload from source to results: compile with cnnc, give every engine the same weights,
// check that they agree, then time the cells that deserve it.
import { existsSync } from "node:fs";
import { archFlops, inputSize, outputSize, paramShapes, type NamedTensor } from "./arch.js";
import { compareToReference, forwardAgrees, messageOf, probeEngine, trainingAgrees, type Probe } from "./agree.js";
import { buildCnnc, loadBaseline, type CnncBuild, type CnncTarget, type GeneratedModelClass } from "./cnnc-build.js";
import { cnncEngineFactory } from "./engines/cnnc.js";
import { createConvnetjsEngine } from "./engines/convnetjs.js";
import type { Engine, EngineFactory, ModelSpec } from "./engines/engine.js";
import { failedEngine } from "./engines/failed.js";
import { createOrtNodeEngine } from "./engines/ort-node.js";
import { createOrtWebEngine } from "./engines/ort-web.js";
import { createTfjsCpuEngine } from "./engines/tfjs-cpu.js";
import { createTfjsWasmEngine } from "./engines/tfjs-wasm.js";
import { formatDiff } from "./format.js";
import { measureWorkload, type Contender } from "./measure.js";
import { randomInputs, randomLabels, randomWeights, withRandomBiases } from "./random.js";
import type { Agreement, CellOutcome, CompileInfo, EngineResult, RunSettings, WorkloadResult } from "./results.js";
import type { Workload } from "./workloads.js";

const referenceFactories: Readonly<Record<string, EngineFactory>> = {
  "tfjs-cpu": createTfjsCpuEngine,
  "tfjs-wasm": createTfjsWasmEngine,
  "ort-web": createOrtWebEngine,
  "ort-node": createOrtNodeEngine,
  convnetjs: createConvnetjsEngine,
};

interface CnncModules {
  readonly current: GeneratedModelClass | null;
  readonly baseline: GeneratedModelClass | null;
  readonly wasm: { readonly build: CnncBuild | null; readonly error: string | null };
}

/** cnnc's own engines: the module just compiled, the wasm target's, and the committed baseline. */
function cnncFactory(name: string, modules: CnncModules): EngineFactory | undefined {
  if (name === "cnnc") return modules.current ? cnncEngineFactory(modules.current) : undefined;
  if (name === "cnnc-baseline") return modules.baseline ? cnncEngineFactory(modules.baseline, "cnnc-baseline") : undefined;
  if (name === "cnnc-wasm") {
    const { build, error } = modules.wasm;
    return build ? cnncEngineFactory(build.modelClass, "cnnc-wasm") : () => failedEngine("cnnc-wasm", error ?? "not built");
  }
  return undefined;
}

const checkBatch = 2;
const largestBatch = 32;

export async function runWorkload(workload: Workload, engineNames: readonly string[], settings: RunSettings, eachRound: () => void, log: (line: string) => void): Promise<WorkloadResult> {
  const source = workload.sources.find((path) => existsSync(path)) ?? workload.sources[workload.sources.length - 1] ?? "";
  log(`${workload.id}: ${workload.title} from ${source}`);
  const { build, cnncError } = engineNames.includes("cnnc") ? await tryBuild(source, workload.id, settings.compileRepeats) : { build: null, cnncError: "not selected" };
  if (cnncError) log(`${workload.id}: cnnc unavailable: ${cnncError}`);
  const spec: ModelSpec = { arch: workload.arch, optimizer: build?.optimizer ?? workload.optimizer };
  const weights = initialWeights(spec, build);
  const baseline = engineNames.includes("cnnc-baseline") && build ? await loadBaseline(workload.id, build.modelName) : null;
  const wasm = engineNames.includes("cnnc-wasm") ? await tryBuild(source, workload.id, settings.compileRepeats, "wasm") : null;
  if (wasm?.cnncError) log(`${workload.id}: cnnc --target wasm unavailable: ${wasm.cnncError}`);
  const modules: CnncModules = { current: build?.modelClass ?? null, baseline, wasm: { build: wasm?.build ?? null, error: wasm?.cnncError ?? null } };
  const engines = engineNames.flatMap((name) => {
    const factory = cnncFactory(name, modules) ?? referenceFactories[name];
    return factory ? [factory(spec)] : [];
  });
  const setupErrors = await setupAll(engines, weights);
  const ready = engines.filter((e) => !setupErrors.has(e));
  const xs = randomInputs(largestBatch * inputSize(spec.arch), 11);
  const labels = randomLabels(largestBatch, outputSize(spec.arch), 12);
  const agreements = await checkAll(ready, { xs, labels, maxTrainSeconds: settings.maxCallSeconds }, log, workload.id);
  const contenders = ready.map((engine) => contenderOf(engine, agreements.get(engine)));
  const outcomes = await measureWorkload(contenders, { xs, labels }, settings, announcing(eachRound, `${workload.id}: round`, settings.rounds, log));
  engines.forEach((e) => e.dispose());
  return {
    id: workload.id,
    title: workload.title,
    source,
    flops: build?.flops ?? archFlops(spec.arch),
    flopsFrom: build ? "analyze" : "arch",
    params: weights.reduce((sum, w) => sum + w.data.length, 0),
    optimizer: spec.optimizer,
    compile: build ? compileInfo(build) : null,
    cnncError,
    ...(wasm ? { wasm: { compile: wasm.build ? compileInfo(wasm.build) : null, error: wasm.cnncError } } : {}),
    engines: engines.map((engine) => ({
      name: engine.name,
      setupError: setupErrors.get(engine) ?? null,
      agreement: agreements.get(engine)?.agreement ?? null,
      cells: outcomes.get(engine) ?? {},
    })) satisfies EngineResult[],
  };
}

// Slow cells make a full run take minutes: say where it is.
function announcing(eachRound: () => void, prefix: string, rounds: number, log: (line: string) => void): () => void {
  let round = 0;
  return () => {
    log(`${prefix} ${++round} of ${rounds}`);
    eachRound();
  };
}

function compileInfo(build: CnncBuild): CompileInfo {
  return { coldSeconds: build.compileColdSeconds, warmSeconds: build.compileWarmSeconds, freshSeconds: build.compileFreshSeconds, bytes: build.bytes, lines: build.lines };
}

async function tryBuild(source: string, id: string, repeats: number, target: CnncTarget = "ts"): Promise<{ build: CnncBuild | null; cnncError: string | null }> {
  try {
    return { build: await buildCnnc(source, id, repeats, target), cnncError: null };
  } catch (error) {
    return { build: null, cnncError: error instanceof Error ? error.message : String(error) };
  }
}

/** cnnc's own seeded initialisation when it is there, else stand-in weights of the same shapes. */
function initialWeights(spec: ModelSpec, build: CnncBuild | null): NamedTensor[] {
  if (!build) return randomWeights(spec.arch, 5);
  const own = new build.modelClass({ seed: 1 }).getWeights();
  const expected = paramShapes(spec.arch);
  const mismatch = own.findIndex((w, i) => w.shape.join(",") !== expected[i]?.shape.join(","));
  if (own.length !== expected.length || mismatch >= 0) {
    throw new Error(`${build.source} does not declare the network the harness builds for the other engines (parameter ${mismatch}: ${own[mismatch]?.name ?? "count"})`);
  }
  return withRandomBiases(own, 7);
}

async function setupAll(engines: readonly Engine[], weights: readonly NamedTensor[]): Promise<Map<Engine, string>> {
  const errors = new Map<Engine, string>();
  for (const engine of engines) {
    try {
      await engine.setup(weights);
    } catch (error) {
      errors.set(engine, messageOf(error));
    }
  }
  return errors;
}

interface Checked {
  readonly agreement: Agreement;
  readonly probe: Probe;
}

interface CheckData {
  readonly xs: Float32Array;
  readonly labels: Int32Array;
  readonly maxTrainSeconds: number;
}

// The reference (the first engine, cnnc) always takes its training step: everyone is judged by it.
async function checkAll(engines: readonly Engine[], data: CheckData, log: (line: string) => void, id: string): Promise<Map<Engine, Checked>> {
  const probes = new Map<Engine, Probe>();
  for (const [i, engine] of engines.entries()) {
    probes.set(engine, await probeEngine(engine, data.xs, data.labels, checkBatch, i === 0 ? null : data.maxTrainSeconds));
  }
  const reference = engines[0];
  const referenceProbe = reference ? probes.get(reference) : undefined;
  const checked = new Map<Engine, Checked>();
  if (!reference || !referenceProbe) return checked;
  for (const [engine, probe] of probes) {
    const agreement = compareToReference(reference.name, referenceProbe, probe);
    checked.set(engine, { agreement, probe });
    const training = agreement.trainError ? `, training fails: ${agreement.trainError}` : agreement.trainSkipped ? ", training too slow to check" : "";
    log(`${id}: ${engine.name.padEnd(10)} forward |Δ| ${formatDiff(agreement.forwardDiff)}, after step ${formatDiff(agreement.stepDiff)}${training}`);
  }
  return checked;
}

function contenderOf(engine: Engine, checked: Checked | undefined): Contender {
  if (!checked) return { engine, verdicts: { infer: notChecked, train: notChecked }, secondsPerSample: { infer: 0, train: 0 } };
  const { agreement: a, probe } = checked;
  return { engine, verdicts: verdictsOf(a), secondsPerSample: { infer: probe.inferSeconds, train: probe.trainSeconds } };
}

const notChecked: CellOutcome = { status: "disagrees", reason: "no reference engine to check against" };

export function verdictsOf(a: Agreement): Contender["verdicts"] {
  if (a.forwardError) return { infer: { status: "fails", reason: a.forwardError }, train: { status: "fails", reason: a.forwardError } };
  if (!forwardAgrees(a)) {
    const reason: CellOutcome = { status: "disagrees", reason: `forward output differs from ${a.reference} by ${formatDiff(a.forwardDiff)}` };
    return { infer: reason, train: reason };
  }
  if (a.trainError) return { train: { status: "fails", reason: a.trainError } };
  // Left to the timing, whose estimate (three forward passes a sample) rules the cells too slow.
  if (a.trainSkipped) return {};
  if (!trainingAgrees(a)) {
    return { train: { status: "disagrees", reason: `after one step the output differs from ${a.reference} by ${formatDiff(a.stepDiff)} (loss by ${formatDiff(a.lossDiff)})` } };
  }
  return {};
}
