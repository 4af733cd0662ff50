// Compile a workload's .cnn file with cnnc, timed, and import the generated module as a user
// would: the TypeScript written to a file and imported (tsx runs it, as it runs this harness).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { SgdSpec } from "./arch.js";
import type { CheckedModel } from "../src/check/types.js";
import { median } from "./stats.js";
import { now } from "./timing.js";

/** The surface of a generated model class the harness relies on (the contract of issue 2). */
export interface GeneratedModel {
  getWeights(): { name: string; shape: number[]; data: Float32Array | Float64Array }[];
  setWeights(list: readonly { name: string; shape: readonly number[]; data: ArrayLike<number> }[]): void;
  predictBatch(xs: ArrayLike<number>, n: number): Float32Array | Float64Array;
  trainBatch(xs: ArrayLike<number>, targets: Int32Array, n: number): number;
}

export type GeneratedModelClass = new (options?: { seed?: number }) => GeneratedModel;

export interface CnncBuild {
  readonly source: string;
  readonly modelName: string;
  readonly modelClass: GeneratedModelClass;
  /** forward FLOPs per sample: the sum of analyze()'s per-layer counts */
  readonly flops: number;
  readonly optimizer: SgdSpec;
  /** the first compile() in this process, then the median of the repeats */
  readonly compileColdSeconds: number;
  readonly compileWarmSeconds: number;
  /** the one compile() of a fresh process (bench/compile-cold.ts), NaN when that failed */
  readonly compileFreshSeconds: number;
  readonly bytes: number;
  readonly lines: number;
}

const outDir = join(tmpdir(), `cnnc-bench-${process.pid}`);

/** cnnc's back ends: the TypeScript module (the default) and the WebAssembly one (issue 10). */
export type CnncTarget = "ts" | "wasm";

export async function buildCnnc(source: string, id: string, repeats: number, target: CnncTarget = "ts"): Promise<CnncBuild> {
  // Loaded on demand: the harness must still run the other engines when the compiler is broken.
  const { compile } = await import("../src/index.js");
  if (target !== "ts") await requireTarget(target);
  const text = readFileSync(source, "utf8");
  const times: number[] = [];
  let result = await timedCompile(compile, text, source, target, times);
  for (let i = 0; i < repeats; i++) result = await timedCompile(compile, text, source, target, times);
  const model = result.checked?.models[0];
  if (result.code === undefined || !model) throw new Error(`cnnc could not compile ${source}:\n${await describeFailure(result)}`);
  const modelClass = await importGenerated(result.code, target === "ts" ? id : `${id}-${target}`, model.name);
  return {
    source,
    modelName: model.name,
    modelClass,
    flops: model.layers.reduce((sum, layer) => sum + layer.flops, 0),
    optimizer: sgdOf(model),
    compileColdSeconds: times[0] ?? Number.NaN,
    compileWarmSeconds: median(times.slice(1)),
    compileFreshSeconds: await freshCompileSeconds(source, target),
    bytes: Buffer.byteLength(result.code, "utf8"),
    lines: result.code.split("\n").length,
  };
}

type Compile = typeof import("../src/index.js").compile;
type CompileResult = Awaited<ReturnType<Compile>>;

let built: Promise<string> | undefined;

/** The package as a user installs it, built once per harness run (scripts/built-package.ts), with
 *  bench/compile-cold.ts beside its dist/src/. */
function builtPackage(): Promise<string> {
  built ??= (async () => {
    const { buildPackage } = await import("../scripts/built-package.js");
    const dir = join(outDir, "package");
    await buildPackage(dir, ["bench/compile-cold.ts", "bench/timing.ts"]);
    return dir;
  })();
  return built;
}

/** The child is plain Node over the built package, as the CLI's user runs it: under the harness's
 *  own loader (tsx) the wasm target's first compile would time tsx's pass over binaryen (~13 s). */
async function freshCompileSeconds(source: string, target: CnncTarget): Promise<number> {
  try {
    const script = join(await builtPackage(), "dist", "bench", "compile-cold.js");
    const output = execFileSync(process.execPath, [script, source, target], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const lines = output.trim().split("\n");
    const parsed = JSON.parse(lines[lines.length - 1] ?? "") as { seconds?: unknown };
    return typeof parsed.seconds === "number" ? parsed.seconds : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * compile() ignores options it does not know, so asking a compiler without the target for it would
 * quietly build the TypeScript module under the wasm row's name: the option's default must exist.
 */
async function requireTarget(target: CnncTarget): Promise<void> {
  const { defaultOptions } = await import("../src/options.js");
  if (!("target" in defaultOptions)) throw new Error(`this compiler has no target option (CompileOptions has no 'target'), so --target ${target} cannot be built`);
}

async function timedCompile(compile: Compile, text: string, path: string, target: CnncTarget, times: number[]): Promise<CompileResult> {
  // Not a literal at the call: the option type-checks before and after CompileOptions has it.
  const options = target === "ts" ? { path, precision: "f32" as const, inputGradient: false } : { path, precision: "f32" as const, inputGradient: false, target };
  const start = now();
  const result = await compile(text, options);
  times.push(now() - start);
  return result;
}

async function describeFailure(result: CompileResult): Promise<string> {
  const { renderDiagnostics } = await import("../src/diagnostics/render.js");
  return renderDiagnostics(result.diagnostics, result.file);
}

/** The module the compiler generated before the kernel IR (commit a2236c0), kept in
 *  bench/baseline/ so every run measures the new back end against it in the same rounds. */
export async function loadBaseline(id: string, modelName: string): Promise<GeneratedModelClass> {
  return importGenerated(readFileSync(join("bench", "baseline", `${id}.ts`), "utf8"), `${id}-baseline`, modelName);
}

async function importGenerated(code: string, id: string, modelName: string): Promise<GeneratedModelClass> {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${id}.ts`);
  writeFileSync(path, code);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const modelClass = module[modelName];
  if (typeof modelClass !== "function") throw new Error(`the generated module has no class ${modelName}`);
  return modelClass as GeneratedModelClass;
}

// The reference engines implement SGD with or without momentum; anything else cannot be compared.
function sgdOf(model: CheckedModel): SgdSpec {
  const optimizer = model.train?.optimizer;
  if (!optimizer) throw new Error(`${model.name} has no train section`);
  if (optimizer.kind !== "sgd" || optimizer.nesterov || optimizer.weightDecay !== 0 || optimizer.clipNorm !== null || optimizer.schedule.kind !== "none") {
    throw new Error(`${model.name}: the benchmark compares plain SGD or SGD with momentum only`);
  }
  return { lr: optimizer.lr, momentum: optimizer.momentum };
}
