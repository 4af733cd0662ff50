// One differential case: print the network, check and compile it with cnnc, build it in tfjs
// with the same weights, and compare shapes, outputs, loss, gradients and three optimizer steps.
import { analyze, compile } from "../../src/index.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { importTypeScript } from "../helpers/load.js";
import { compareArrays, describe, float32Tolerance, type Comparison, type ErrorTable } from "./compare.js";
import type { Network, Optimizer } from "./network.js";
import { layersOf, modelNameFor } from "./network.js";
import { printNetwork } from "./print.js";
import { Rng } from "./random.js";
import { product } from "./shapes.js";
import { shapeMismatches } from "./shape-check.js";
import { randomBatch, type Batch } from "./targets.js";
import { buildTfjs, type TfjsNetwork } from "./tfjs-model.js";
import { forward, loadWeights, lossAndGradients, readWeights, tfjsParams, trainSteps, type NamedArray } from "./tfjs-run.js";

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

export async function runCase(net: Network, table: ErrorTable): Promise<CaseReport> {
  const { source } = printNetwork(net);
  const failures: string[] = [];
  const fail = (what: string): void => void failures.push(what);
  const path = `seed-${net.seed}.cnn`;
  const analysis = analyze(source, path);
  const checked = analysis.checked?.models[0];
  if (!checked) return { source, failures: [`cnnc rejected a valid network:\n${renderDiagnostics(analysis.diagnostics, analysis.file)}`] };
  const t = buildTfjs(net);
  try {
    shapeMismatches(net, checked, t).forEach(fail);
    const result = await compile(source, { path, precision: "f32" });
    if (!result.code) return { source, failures: [...failures, `cnnc failed to compile:\n${renderDiagnostics(result.diagnostics, result.file)}`] };
    const exports = await importTypeScript(result.code);
    const ops = [...layersOf(net).map((c) => c.op), ...(net.train ? [`loss:${net.train.loss}`] : [])];
    table.countNetwork(ops);
    const check = (quantity: string, label: string, got: ArrayLike<number>, want: ArrayLike<number>): void => {
      const c: Comparison = compareArrays(got, want, float32Tolerance);
      table.record(ops, quantity, c);
      if (!(c.ratio <= 1)) fail(`${quantity}, ${label}: ${describe(c)}`);
    };
    const models = net.train ? net.optimizers : [undefined];
    for (const [k, optimizer] of models.entries()) {
      const Model = exports[modelNameFor(net, optimizer)] as new (o: { seed: number }) => CnncModel;
      compareModel(net, t, new Model({ seed: net.seed }), optimizer, k === 0, check);
    }
  } finally {
    t.model.dispose();
  }
  return { source, failures };
}

type Check = (quantity: string, label: string, got: ArrayLike<number>, want: ArrayLike<number>) => void;

function compareModel(net: Network, t: TfjsNetwork, model: CnncModel, optimizer: Optimizer | undefined, first: boolean, check: Check): void {
  const params = tfjsParams(t);
  loadWeights(params, model.getWeights());
  const rng = new Rng(net.seed ^ 0x5eed);
  const inputSize = product(net.input.shape);
  const outputSize = t.model.outputs[0]!.shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  if (first) {
    const xs = rng.floats(rng.int(1, 4) * inputSize, -1, 1);
    const n = xs.length / inputSize;
    const want = forward(t, net, xs, n);
    check("forward", "predictBatch", model.predictBatch(xs, n), want);
    check("forward", "predict(sample 0)", model.predict(xs.subarray(0, inputSize)), want.subarray(0, outputSize));
  }
  if (!net.train || !optimizer) return;
  const lossSize = outputSize;
  const batches: Batch[] = Array.from({ length: steps }, () => randomBatch(rng, net.train!.loss, inputSize, lossSize));
  if (first) {
    const b = batches[0]!;
    const oracle = lossAndGradients(t, net, params, b.xs, b.targets.dense, b.n);
    check("loss", "computeGradients", [model.computeGradients(b.xs, b.targets.cnnc, b.n)], [oracle.loss]);
    for (const g of model.getGradients()) check("gradients", g.name, g.data, oracle.grads.get(g.name) ?? []);
  }
  const cnncLosses = batches.map((b) => model.trainBatch(b.xs, b.targets.cnnc, b.n));
  const tfjsLosses = trainSteps(t, net, params, optimizer, batches.map((b) => ({ xs: b.xs, targets: b.targets.dense, n: b.n })));
  check(optimizer.kind, "trainBatch losses", cnncLosses, tfjsLosses);
  const after = readWeights(params);
  for (const w of model.getWeights()) check(optimizer.kind, `${w.name} after ${steps} steps`, w.data, after.get(w.name) ?? []);
}
