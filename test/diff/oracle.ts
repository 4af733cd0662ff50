// One differential case: print the network, check and compile it with cnnc, build it in tfjs
// with the same weights, and compare shapes, outputs, loss, gradients and three optimizer steps.
import { analyze, compile } from "../../src/index.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { importTypeScript } from "../helpers/load.js";
import { compareArrays, describe, float32Tolerance, type Comparison, type ErrorTable, type Tolerance } from "./compare.js";
import { inertBound, inertParams } from "./inert.js";
import type { Network, Optimizer } from "./network.js";
import { hasBatchnorm, layersOf, modelNameFor } from "./network.js";
import { expectedParams } from "./names.js";
import { printNetwork } from "./print.js";
import { Rng } from "./random.js";
import { fuzzReadable, fuzzTarget } from "./settings.js";
import { product } from "./shapes.js";
import { shapeMismatches } from "./shape-check.js";
import { randomBatch, type Batch } from "./targets.js";
import { buildTfjs, hasGradientGaps, type TfjsNetwork } from "./tfjs-model.js";
import { forward, loadWeights, lossAndGradients, readWeights, realGradients, Stepper, tfjsParams, type NamedArray } from "./tfjs-run.js";

export interface CaseReport {
  readonly source: string;
  readonly failures: string[];
}

/** The generated class, seen through the contract in the brief. */
interface CnncModel {
  predictBatch(xs: ArrayLike<number>, n: number): Float32Array;
  predict(x: ArrayLike<number>): Float32Array;
  computeGradients(xs: ArrayLike<number>, targets: ArrayLike<number>, n: number): number;
  trainBatch(xs: ArrayLike<number>, targets: ArrayLike<number>, n: number): number;
  getGradients(): NamedArray[];
  getWeights(): NamedArray[];
}

const steps = 3;

export async function runCase(net: Network, table: ErrorTable, options: { readable?: boolean; target?: "ts" | "wasm" } = {}): Promise<CaseReport> {
  const { source } = printNetwork(net);
  const failures: string[] = [];
  try {
    await compareAll(net, source, table, options.readable ?? fuzzReadable, options.target ?? fuzzTarget, (what) => void failures.push(what));
  } catch (error) {
    failures.push(`exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  return { source, failures };
}

async function compareAll(net: Network, source: string, table: ErrorTable, readable: boolean, target: "ts" | "wasm", fail: (what: string) => void): Promise<void> {
  const path = `seed-${net.seed}.cnn`;
  const analysis = analyze(source, path);
  const checked = analysis.checked?.models[0];
  if (!checked) return fail(`cnnc rejected a valid network:\n${renderDiagnostics(analysis.diagnostics, analysis.file)}`);
  // the true network for shapes and outputs; another for gradients where tfjs' own are wrong
  const t = buildTfjs(net);
  const tg = hasGradientGaps(net) ? buildTfjs(net, { forGradients: true }) : t;
  try {
    shapeMismatches(net, checked, t).forEach(fail);
    // formatting never changes what the code does, and prettier is most of the compile time
    const result = await compile(source, { path, precision: "f32", format: false, readable, target });
    if (!result.code) return fail(`cnnc failed to compile:\n${renderDiagnostics(result.diagnostics, result.file)}`);
    const exports = await importTypeScript(result.code);
    const ops = [...layersOf(net).map((c) => c.op), ...(net.train ? [`loss:${net.train.loss}`] : [])];
    table.countNetwork(ops);
    const check = (quantity: string, label: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance = float32Tolerance, scale?: ArrayLike<number>): void => {
      const c: Comparison = compareArrays(got, want, tolerance, scale);
      table.record(ops, quantity, c);
      if (!(c.ratio <= 1)) fail(`${quantity}, ${label}: ${describe(c)}`);
    };
    // the generator gives each network one optimizer, so the file holds one model
    const optimizer = net.train ? net.optimizers[0] : undefined;
    const Model = exports[modelNameFor(net, optimizer)] as new (o: { seed: number }) => CnncModel;
    compareModel(net, { t, tg }, new Model({ seed: net.seed }), optimizer, check, fail);
  } finally {
    t.model.dispose();
    if (tg !== t) tg.model.dispose();
  }
}

type Check = (quantity: string, label: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance?: Tolerance, scale?: ArrayLike<number>) => void;

interface Oracle {
  /** the network as written, for shapes and outputs */
  readonly t: TfjsNetwork;
  /** the same built for gradients (BuildOptions.forGradients) */
  readonly tg: TfjsNetwork;
}

function compareModel(
  net: Network,
  oracle: Oracle,
  model: CnncModel,
  optimizer: Optimizer | undefined,
  check: Check,
  fail: (what: string) => void,
): void {
  const weights = model.getWeights();
  const expected = listed(expectedParams(net));
  if (listed(weights) !== expected) fail(`getWeights(): ${listed(weights)}; expected ${expected}`);
  // tfjs builds every layer; cnnc leaves out those that reach neither the output nor the loss,
  // which cannot change the outputs, the loss or the other gradients
  const kept = new Set(expectedParams(net).map((p) => p.name));
  const live = (params: ReturnType<typeof tfjsParams>) => params.filter((p) => kept.has(p.name));
  loadWeights(live(tfjsParams(oracle.t)), weights);
  const rng = new Rng(net.seed ^ 0x5eed);
  compareForward(net, oracle.t, model, rng, check);
  if (!net.train || !optimizer) return;
  const params = live(tfjsParams(oracle.tg));
  loadWeights(params, weights);
  const outputSize = product(oracle.t.layerShapes[oracle.t.layerShapes.length - 1] ?? []);
  const batches = Array.from({ length: steps }, () => randomBatch(rng, net.train!.loss, product(net.input.shape), outputSize));
  const first = lossAndGradients(oracle.tg, net, params, batches[0]!.xs, batches[0]!.targets.dense, batches[0]!.n);
  const inert = inertParams(net);
  compareGradients(model, batches[0]!, first.loss, realGradients(params, first.grads), inert, expected, check, fail);
  compareSteps(net, oracle.tg, params, model, optimizer, batches, first, inert, check);
  // prediction again, now with the moving statistics 3 steps have made (and folded)
  if (hasBatchnorm(net)) {
    loadWeights(live(tfjsParams(oracle.t)), model.getWeights());
    compareForward(net, oracle.t, model, rng, check);
  }
}

/**
 * Each step starts tfjs from cnnc's current weights, so float32 noise cannot compound through
 * training dynamics (a large learning rate can make them chaotic); each side keeps its own
 * optimizer state, so a wrong momentum or moment estimate still shows at steps 2 and 3. A weight
 * after a step is its value before plus tfjs' step, and the tolerance's relative term counts both
 * (compareArrays' scale): a step larger than the weight itself carries the gradient's relative
 * error, which the gradient comparison allows; against the weight alone it would have to be
 * exact to rtol * |w| / |step|.
 */
function compareSteps(
  net: Network,
  tg: TfjsNetwork,
  params: ReturnType<typeof tfjsParams>,
  model: CnncModel,
  optimizer: Optimizer,
  batches: readonly Batch[],
  first: ReturnType<typeof lossAndGradients>,
  inert: ReadonlySet<string>,
  check: Check,
): void {
  const stepper = new Stepper(tg, net, params, optimizer);
  try {
    batches.forEach((b, k) => {
      if (k > 0) loadWeights(params, model.getWeights());
      const before = new Map(model.getWeights().map((w) => [w.name, Float32Array.from(w.data)]));
      // an inert parameter's gradient is noise (inert.ts): cnnc's, at the weights of this step
      // (computeGradients changes no state), checked as noise and given to tfjs' optimizer too
      const noise = inert.size > 0 ? inertGradients(model, b, inert) : undefined;
      // the first step's gradients are those just compared: the weights have not moved yet
      const want = stepper.step({ xs: b.xs, targets: b.targets.dense, n: b.n }, k === 0 ? first : undefined, noise?.inert);
      if (noise && k > 0) checkInert(optimizer.kind, ` at step ${k + 1}`, noise.all, realGradients(params, want.grads), inert, check);
      check(optimizer.kind, `trainBatch loss at step ${k + 1}`, [model.trainBatch(b.xs, b.targets.cnnc, b.n)], [want.loss]);
      const after = readWeights(params);
      for (const w of model.getWeights()) {
        const [expected, from] = [after.get(w.name) ?? [], before.get(w.name)!];
        check(optimizer.kind, `${w.name} after step ${k + 1}`, w.data, expected, float32Tolerance, Float32Array.from(expected, (v, i) => v - from[i]!));
      }
    });
  } finally {
    stepper.dispose();
  }
}

/** cnnc's gradients on batch `b` at its current weights, and those of the inert parameters. */
function inertGradients(model: CnncModel, b: Batch, inert: ReadonlySet<string>): { all: NamedArray[]; inert: Map<string, Float32Array> } {
  model.computeGradients(b.xs, b.targets.cnnc, b.n);
  const all = model.getGradients();
  return { all, inert: new Map(all.filter((g) => inert.has(g.name)).map((g) => [g.name, Float32Array.from(g.data)])) };
}

/** predictBatch on a random batch, and predict on its first sample. */
function compareForward(net: Network, t: TfjsNetwork, model: CnncModel, rng: Rng, check: Check): void {
  const inputSize = product(net.input.shape);
  const n = rng.int(1, 4);
  const xs = rng.floats(n * inputSize, -1, 1);
  const want = forward(t, net, xs, n);
  check("forward", "predictBatch", model.predictBatch(xs, n), want);
  check("forward", "predict(sample 0)", model.predict(xs.subarray(0, inputSize)), want.subarray(0, want.length / n));
}

function compareGradients(
  model: CnncModel,
  b: Batch,
  loss: number,
  grads: Map<string, Float32Array>,
  inert: ReadonlySet<string>,
  expected: string,
  check: Check,
  fail: (what: string) => void,
): void {
  check("loss", "computeGradients", [model.computeGradients(b.xs, b.targets.cnnc, b.n)], [loss]);
  const gradients = model.getGradients();
  if (listed(gradients) !== expected) fail(`getGradients(): ${listed(gradients)}; expected ${expected}`);
  for (const g of gradients) if (!inert.has(g.name)) check("gradients", g.name, g.data, grads.get(g.name) ?? []);
  checkInert("gradients", "", gradients, grads, inert, check);
}

/** The gradients of inert parameters (inert.ts), cnnc's and tfjs', against zero: both must be
 *  float32 noise of the pass's largest gradient (cnnc's, which the other checks hold to tfjs'). */
function checkInert(quantity: string, label: string, cnnc: readonly NamedArray[], tfjs: ReadonlyMap<string, ArrayLike<number>>, inert: ReadonlySet<string>, check: Check): void {
  const atol = inertBound(cnnc.map((g) => g.data), float32Tolerance.atol);
  for (const g of cnnc.filter((g) => inert.has(g.name))) {
    const zero = new Float32Array(g.data.length);
    check(quantity, `${g.name}${label} (its true gradient is 0), cnnc`, g.data, zero, { rtol: 0, atol });
    check(quantity, `${g.name}${label} (its true gradient is 0), tfjs`, tfjs.get(g.name) ?? [], zero, { rtol: 0, atol });
  }
}

function listed(list: readonly { name: string; shape: readonly number[] }[]): string {
  return list.map((p) => `${p.name}[${p.shape}]`).join(" ");
}
