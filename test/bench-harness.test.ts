// The benchmark harness's own logic: statistics, formatting, verdicts, cell decisions, the report,
// and that the reference engines build the network the .cnn files declare. Nothing here is timed.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { compareToReference, forwardAgrees, trainingAgrees, type Probe } from "../bench/agree.js";
import { archFlops, inputSize, outputSize, paramShapes, type Arch } from "../bench/arch.js";
import { createConvnetjsEngine } from "../bench/engines/convnetjs.js";
import type { Engine } from "../bench/engines/engine.js";
import { createTfjsCpuEngine } from "../bench/engines/tfjs-cpu.js";
import { formatNumber, formatRatio, markdownTable } from "../bench/format.js";
import { measureWorkload } from "../bench/measure.js";
import { parseOptions } from "../bench/options.js";
import { randomInputs, randomLabels, randomWeights } from "../bench/random.js";
import { renderMarkdown } from "../bench/report.js";
import type { Agreement, CellOutcome, EngineResult, RunResult, RunSettings, WorkloadResult } from "../bench/results.js";
import { maxAbsDiff, median, pairedRatio, summarize } from "../bench/stats.js";
import { checkSpeedTarget, speedTargets } from "../bench/targets.js";
import { verdictsOf } from "../bench/workload-run.js";
import { workloads } from "../bench/workloads.js";

describe("statistics", () => {
  it("takes the median of odd and even counts without reordering the input", () => {
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([3, 9, 6])).toEqual({ median: 6, min: 3, max: 9, count: 3 });
  });

  it("pairs ratios by round, so a slow round for both engines does not skew the ratio", () => {
    const cnnc = [100, 10, 100];
    const other = [50, 5, 50];
    expect(pairedRatio(other, cnnc)).toBe(0.5);
    expect(median(other) / median(cnnc)).toBe(0.5);
    expect(pairedRatio([1, 2], [0, 4])).toBe(0.5);
  });

  it("counts NaN and length mismatches as disagreement", () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1, Number.NaN], [1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDiff([1, 2], [1, 2, 3])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("formatting", () => {
  it("keeps three significant figures and separates thousands", () => {
    expect(formatNumber(11432.7)).toBe("11,433");
    expect(formatNumber(170.4)).toBe("170");
    expect(formatNumber(11.04)).toBe("11.0");
    expect(formatNumber(3.456)).toBe("3.46");
    expect(formatNumber(0.0456)).toBe("0.046");
    expect(formatRatio(8.4)).toBe("8.40×");
    expect(formatRatio(12.6)).toBe("13×");
  });

  it("escapes pipes and newlines so an error message cannot break a table", () => {
    const table = markdownTable(["a", "b"], [["x | y", "line\nbreak"]]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("| x \\| y | line break |");
  });
});

describe("options", () => {
  it("selects workloads and engines in canonical order and rejects unknown names", () => {
    const options = parseOptions(["--quick", "--engines", "convnetjs,cnnc", "--workloads", "w2"], ["w1", "w2"]);
    expect(options.settings.quick).toBe(true);
    expect(options.engines).toEqual(["cnnc", "convnetjs"]);
    expect(options.workloads).toEqual(["w2"]);
    expect(() => parseOptions(["--engines", "tfjs-node"], ["w1"])).toThrow(/unknown engine/);
    expect(() => parseOptions(["--rounds", "0"], ["w1"])).toThrow(/positive/);
  });
});

describe("agreement verdicts", () => {
  const probe = (forward: number[], step: number[] | null, loss: number | null, trainError: string | null = null): Probe => ({
    forward,
    forwardError: null,
    step,
    loss,
    trainError,
    trainSkipped: false,
    inferSeconds: 0.001,
    trainSeconds: 0.003,
  });
  const reference = probe([0.1, 0.9], [0.2, 0.8], 1.5);

  it("accepts differences within 1e-4 and rejects larger ones", () => {
    const close = compareToReference("cnnc", reference, probe([0.10005, 0.89995], [0.2, 0.8], 1.50001));
    expect(forwardAgrees(close) && trainingAgrees(close)).toBe(true);
    const off = compareToReference("cnnc", reference, probe([0.1, 0.9], [0.21, 0.79], 1.5));
    expect(forwardAgrees(off)).toBe(true);
    expect(trainingAgrees(off)).toBe(false);
    expect(verdictsOf(off).train?.status).toBe("disagrees");
    expect(verdictsOf(off).infer).toBeUndefined();
  });

  it("keeps the engine's own error as the reason a training cell fails", () => {
    const wasm = compareToReference("cnnc", reference, probe([0.1, 0.9], null, null, "Kernel 'Conv2DBackpropFilter' not registered"));
    expect(verdictsOf(wasm).train).toEqual({ status: "fails", reason: "Kernel 'Conv2DBackpropFilter' not registered" });
  });

  it("times nothing of an engine whose forward output is wrong", () => {
    const broken = compareToReference("cnnc", reference, probe([Number.NaN, 0.9], [0.2, 0.8], 1.5));
    expect(verdictsOf(broken).infer?.status).toBe("disagrees");
    expect(verdictsOf(broken).train?.status).toBe("disagrees");
  });
});

describe("cell decisions", () => {
  const settings: RunSettings = { quick: true, rounds: 2, budgetSeconds: 0.001, warmupSeconds: 0.001, maxCallSeconds: 1, compileRepeats: 0 };
  const fake = (name: string, train: () => number): Engine => ({
    name,
    setup: async () => {},
    activate: async () => {},
    trainBatch: train,
    predictBatch: (_xs, n) => new Float32Array(n),
    dispose: () => {},
  });

  it("times every round, records failures thrown while timing, and skips cells estimated too slow", async () => {
    const ok = fake("ok", () => 1);
    const throwing = fake("throwing", () => {
      throw new Error("no kernel");
    });
    const slow = fake("slow", () => 1);
    const contenders = [
      { engine: ok, verdicts: {}, secondsPerSample: { train: 1e-6, infer: 1e-6 } },
      { engine: throwing, verdicts: {}, secondsPerSample: { train: 1e-6, infer: 1e-6 } },
      // 0.1 s a sample: batch 1 may run, batch 32 (3.2 s) exceeds the 1 s limit
      { engine: slow, verdicts: {}, secondsPerSample: { train: 0.1, infer: 0.1 } },
    ];
    let rounds = 0;
    const bench = { xs: new Float32Array(32), labels: new Int32Array(32) };
    const outcomes = await measureWorkload(contenders, bench, settings, () => rounds++);
    expect(rounds).toBe(2);
    const okTrain = outcomes.get(ok)?.train32;
    expect(okTrain?.status === "measured" && okTrain.rounds.length).toBe(2);
    expect(outcomes.get(throwing)?.train1).toEqual({ status: "fails", reason: "no kernel" });
    expect(outcomes.get(throwing)?.infer1?.status).toBe("measured");
    // the slow engine's warm-up at batch 1 was fast, so batch 32 is judged on that, not on the check
    expect(outcomes.get(slow)?.train32?.status).toBe("measured");
  });

  it("feeds successive calls successive samples (a repeated input would train the branch predictor)", async () => {
    // 32 samples of 2 values each; sample k holds k, so a call's first value names its sample
    const bench = { xs: Float32Array.from({ length: 64 }, (_, i) => Math.floor(i / 2)), labels: Int32Array.from({ length: 32 }, (_, i) => i) };
    const seen = { train1: new Set<number>(), infer1: new Set<number>(), train32: new Set<number>(), labels: new Set<number>() };
    const recorder: Engine = {
      ...fake("recorder", () => 1),
      trainBatch: (xs, labels, n) => {
        expect(xs.length).toBe(n * 2);
        expect(labels.length).toBe(n);
        (n === 1 ? seen.train1 : seen.train32).add(xs[0]!);
        seen.labels.add(labels[0]!);
        expect(labels[0]).toBe(xs[0]);
        return 1;
      },
      predictBatch: (xs, n) => {
        if (n === 1) seen.infer1.add(xs[0]!);
        return new Float32Array(n);
      },
    };
    const contenders = [{ engine: recorder, verdicts: {}, secondsPerSample: { train: 1e-6, infer: 1e-6 } }];
    // no call limit: a call preempted on a busy host must not rule the batch-32 cell too slow here
    await measureWorkload(contenders, bench, { ...settings, budgetSeconds: 0.02, warmupSeconds: 0.02, maxCallSeconds: 3600 }, () => {});
    expect(seen.train1.size).toBe(32);
    expect(seen.infer1.size).toBe(32);
    expect([...seen.train32]).toEqual([0]);
  });

  it("awaits every call of an asynchronous engine (ONNX Runtime) and times it like the others", async () => {
    let pending = 0;
    let calls = 0;
    const ort: Engine = {
      ...fake("ort", () => {
        throw new Error("no training API");
      }),
      asynchronous: true,
      predictBatch: async (_xs, n) => {
        // a second call while one is pending would mean the loop did not await
        expect(pending).toBe(0);
        pending++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pending--;
        calls++;
        return new Float32Array(n);
      },
    };
    const contenders = [{ engine: ort, verdicts: { train: { status: "fails" as const, reason: "no training API" } }, secondsPerSample: { train: 1e-3, infer: 1e-3 } }];
    const outcomes = await measureWorkload(contenders, { xs: new Float32Array(32), labels: new Int32Array(32) }, { ...settings, budgetSeconds: 0.01 }, () => {});
    const infer = outcomes.get(ort)?.infer1;
    if (infer?.status !== "measured") throw new Error("the asynchronous cell was not measured");
    expect(infer.rounds).toHaveLength(2);
    // each call takes at least 1 ms, so no round can claim more than 1,000 samples/s
    for (const rate of infer.rounds) expect(rate).toBeLessThan(1000);
    expect(calls).toBeGreaterThan(4);
    expect(outcomes.get(ort)?.train1).toEqual({ status: "fails", reason: "no training API" });
  });

  it("judges batch 32 by the check's estimate when batch 1 was not warmed up", async () => {
    const slow = fake("slow", () => 1);
    const contenders = [{ engine: slow, verdicts: {}, secondsPerSample: { train: 2, infer: 0.5 } }];
    const outcomes = await measureWorkload(contenders, { xs: new Float32Array(32), labels: new Int32Array(32) }, settings, () => {});
    expect(outcomes.get(slow)?.train1).toEqual({ status: "too-slow", estimate: 0.5, callSeconds: 2 });
    expect(outcomes.get(slow)?.infer32?.status).toBe("measured");
  });
});

describe("report", () => {
  const agreement = (reference: string, trainError: string | null): Agreement => ({
    reference,
    forwardDiff: 1e-8,
    stepDiff: trainError ? null : 2e-8,
    loss: trainError ? null : 2.3,
    lossDiff: trainError ? null : 0,
    forwardError: null,
    trainError,
    trainSkipped: false,
  });
  const workload: WorkloadResult = {
    id: "w1",
    title: "W1 test",
    source: "bench/w1.cnn",
    flops: 1e6,
    flopsFrom: "analyze",
    params: 1000,
    optimizer: { lr: 0.01, momentum: 0 },
    compile: { coldSeconds: 0.5, warmSeconds: 0.2, bytes: 2048, lines: 100 },
    cnncError: null,
    engines: [
      {
        name: "cnnc",
        setupError: null,
        agreement: agreement("cnnc", null),
        cells: {
          train1: { status: "measured", rounds: [1000, 1300, 1200], cpuRounds: [2000, 2600, 2400] },
          train32: { status: "measured", rounds: [1600, 1800, 1700], cpuRounds: [3200, 3600, 3400] },
          infer1: { status: "measured", rounds: [4000, 4400, 4200], cpuRounds: [8000, 8800, 8400] },
          infer32: { status: "measured", rounds: [6000, 6000, 6000], cpuRounds: [12000, 12000, 12000] },
        },
      },
      {
        name: "convnetjs",
        setupError: null,
        agreement: agreement("cnnc", null),
        cells: {
          train1: { status: "measured", rounds: [100, 130, 120], cpuRounds: [200, 260, 240] },
          train32: { status: "measured", rounds: [200, 200, 200], cpuRounds: [400, 400, 400] },
          infer1: { status: "too-slow", estimate: 0.5, callSeconds: 2 },
          infer32: { status: "disagrees", reason: "forward | differs" },
        },
      },
      {
        name: "tfjs-wasm",
        setupError: null,
        agreement: agreement("cnnc", "Kernel 'Conv2DBackpropFilter' not registered"),
        cells: {
          train1: { status: "fails", reason: "Kernel 'Conv2DBackpropFilter' not registered" },
          train32: { status: "fails", reason: "Kernel 'Conv2DBackpropFilter' not registered" },
          infer1: { status: "measured", rounds: [1000, 1100, 2100], cpuRounds: [2000, 2200, 4200] },
          infer32: { status: "measured", rounds: [12000, 11000, 10000], cpuRounds: [24000, 22000, 20000] },
        },
      },
    ],
  };
  const run: RunResult = {
    date: "2026-01-01T00:00:00.000Z",
    command: "npm run bench",
    machine: { cpu: "Test CPU", cores: 2, memoryGiB: 24, os: "Linux", node: "v20", loadAverage: [1, 1, 1] },
    settings: { quick: false, rounds: 3, budgetSeconds: 0.5, warmupSeconds: 0.5, maxCallSeconds: 20, compileRepeats: 3 },
    peak: { rounds: [4, 5, 3], summary: summarize([4, 5, 3]), cpuRounds: [8, 6, 7], cpuSummary: summarize([8, 6, 7]) },
    wasmPeak: { candidates: [{ rows: 6, vectors: 2, unroll: 2 }, { rows: 4, vectors: 2, unroll: 1 }], tiles: [{ rows: 4, vectors: 2, unroll: 1 }, { rows: 6, vectors: 2, unroll: 2 }, { rows: 4, vectors: 2, unroll: 1 }], rounds: [40, 50, 30], summary: summarize([40, 50, 30]), cpuRounds: [80, 60, 70], cpuSummary: summarize([80, 60, 70]) },
    seconds: 60,
    workloads: [workload],
  };

  it("shows every engine's row, failures with their reason, and ratios from the same rounds", () => {
    const text = renderMarkdown(run);
    const row = (engine: string, table: number) => text.split("\n").filter((l) => l.startsWith(`| ${engine} |`))[table] ?? "";
    expect(row("tfjs-wasm", 1)).toContain("fails: Kernel 'Conv2DBackpropFilter' not registered");
    expect(row("convnetjs", 1)).toContain("120 [100–130] · 0.10×");
    expect(row("convnetjs", 1)).toContain("~0.50 (not timed");
    expect(row("convnetjs", 1)).toContain("forward \\| differs");
    // cnnc train b32: 1,700 samples/s x 3 MFLOP = 5.1 GFLOP/s against the best peak round, 5 GFLOP/s; per CPU second 10.2 against 8
    expect(row("cnnc", 3)).toContain("5.10 / 10.2 (102% / 128% of JS peak; 10% / 13% of wasm peak)");
    // every engine gets its fraction of the wasm peak: tfjs-wasm infer b32, 11,000/s x 1 MFLOP = 11 GFLOP/s of 50
    expect(row("tfjs-wasm", 3)).toContain("11.0 / 22.0 (22% / 28% of wasm peak)");
    expect(text).toContain("each round runs the tiles 6x8 (k unrolled 2x), 4x8 in turn and keeps the fastest");
    // the best round's tile is named beside it
    expect(text).toContain("best **50.0 GFLOP/s** wall clock (tile 6x8 (k unrolled 2x))");
    expect(row("convnetjs", 2)).toContain("240 [200–260] · 0.10×");
    expect(text).toContain("Test CPU, 2 cores");
  });

  it("checks targets on cnnc's median and on the per-round ratio", () => {
    const trainTarget = speedTargets.find((t) => t.issue === 4 && t.workload === "w1" && t.cell.kind === "train" && t.cell.batch === 32);
    const inferTarget = speedTargets.find((t) => t.issue === 4 && t.workload === "w1" && t.cell.kind === "infer" && t.cell.batch === 1);
    if (!trainTarget || !inferTarget) throw new Error("issue 4's W1 targets are missing");
    expect(checkSpeedTarget(trainTarget, workload)).toEqual({ value: 1700, ratios: [8.5], peakFraction: null, met: true });
    expect(checkSpeedTarget(trainTarget, workload, "cpu").value).toBe(3400);
    // 4,200/s is above 4,000/s, and the per-round ratios to tfjs-wasm are 4.0, 4.0 and 2.0: median 4.0
    expect(checkSpeedTarget(inferTarget, workload).met).toBe(true);
    const slower = { ...workload, engines: workload.engines.map((e) => (e.name === "convnetjs" ? { ...e, cells: { ...e.cells, train32: { status: "measured" as const, rounds: [300, 300, 300], cpuRounds: [600, 600, 600] } } } : e)) };
    expect(checkSpeedTarget(trainTarget, slower).met).toBe(false);
  });
});

describe("the wasm target's rows", () => {
  const measured = (rounds: number[]): CellOutcome => ({ status: "measured", rounds, cpuRounds: rounds });
  const engine = (name: string, cells: Record<string, CellOutcome>, setupError: string | null = null): EngineResult => ({ name, setupError, agreement: null, cells });
  const w2 = (engines: EngineResult[]): WorkloadResult => ({
    id: "w2", title: "W2 test", source: "bench/w2.cnn", flops: 4e7, flopsFrom: "analyze", params: 1, optimizer: { lr: 0.01, momentum: 0 }, compile: null, cnncError: null, engines,
  });
  const target = (workload: string, kind: "train" | "infer", batch: number) => {
    const t = speedTargets.find((s) => s.issue === 10 && s.workload === workload && s.cell.kind === kind && s.cell.batch === batch);
    if (!t) throw new Error(`issue 10's ${workload} ${kind} b${batch} target is missing`);
    return t;
  };

  it("compares with the faster of tfjs-wasm and ort-web, round by round, and with the wasm peak", () => {
    // per round ort-web is the faster: ratios 1.2, 1.0, 1.1 to it (2.4, 2.0, 2.2 to tfjs-wasm)
    const run = w2([
      engine("cnnc-wasm", { infer32: measured([600, 500, 550]) }),
      engine("tfjs-wasm", { infer32: measured([250, 250, 250]) }),
      engine("ort-web", { infer32: measured([500, 500, 500]) }),
    ]);
    // 550/s x 40 MFLOP = 22 GFLOP/s: 55% of a 40 GFLOP/s peak, short of 60%
    expect(checkSpeedTarget(target("w2", "infer", 32), run, "wall", 40)).toEqual({ value: 550, ratios: [1.1], peakFraction: 0.55, met: false });
    expect(checkSpeedTarget(target("w2", "infer", 32), run, "wall", 30).met).toBe(true);
  });

  it("holds wasm training to both the TypeScript target and ConvNetJS", () => {
    const t = target("w1", "train", 32);
    const run = (convnetjs: number) =>
      w2([engine("cnnc-wasm", { train32: measured([5000, 5000]) }), engine("cnnc", { train32: measured([900, 1000]) }), engine("convnetjs", { train32: measured([convnetjs, convnetjs]) })]);
    expect(checkSpeedTarget(t, { ...run(100), id: "w1" })).toMatchObject({ ratios: [5.277777777777778, 50], met: true });
    expect(checkSpeedTarget(t, { ...run(200), id: "w1" })).toMatchObject({ ratios: [5.277777777777778, 25], met: false });
  });

  it("keeps an engine that could not be built in every table, with its reason", () => {
    const reason = "this compiler has no target option";
    const run: RunResult = {
      date: "2026-01-01T00:00:00.000Z", command: "npm run bench", machine: { cpu: "Test CPU", cores: 2, memoryGiB: 1, os: "Linux", node: "v20", loadAverage: [1, 1, 1] },
      settings: { quick: true, rounds: 1, budgetSeconds: 0.1, warmupSeconds: 0.1, maxCallSeconds: 3, compileRepeats: 1 },
      peak: { rounds: [5], summary: summarize([5]), cpuRounds: [5], cpuSummary: summarize([5]) }, seconds: 1,
      workloads: [{ ...w2([engine("cnnc", { infer1: measured([10]) }), engine("cnnc-wasm", {}, reason)]), wasm: { compile: null, error: reason } }],
    };
    const text = renderMarkdown(run);
    const rows = text.split("\n").filter((l) => l.startsWith("| cnnc-wasm |"));
    expect(rows[0]).toContain(`setup fails: ${reason}`);
    expect(rows[1]).toContain(`fails: ${reason}`);
    expect(text).toContain(`| w2 | wasm | \`bench/w2.cnn\` | fails: ${reason} |`);
    expect(text).toContain("## Targets of issue 10 (cnnc --target wasm)");
    expect(text).toContain("**Wasm SIMD peak**: not measured in this run.");
  });
});

describe("the workloads' networks", () => {
  it.each(workloads.map((w) => [w.id, w] as const))("%s: the harness's network has the parameters the .cnn file declares", (_id, workload) => {
    const source = workload.sources.find((path) => existsSync(path));
    if (!source) throw new Error(`no source for ${workload.id}`);
    const model = analyze(readFileSync(source, "utf8"), source).checked?.models[0];
    if (!model) throw new Error(`${source} does not check`);
    expect(paramShapes(workload.arch).map((p) => p.shape)).toEqual(model.params.map((p) => [...p.shape]));
    const inputTensor = model.tensors[model.input];
    expect(inputTensor?.shape).toEqual([...workload.arch.inputShape]);
    // analyze() also counts activations and pooling; the harness counts convolutions and dense layers
    const denseAndConv = model.layers.filter((l) => l.op === "conv2d" || l.op === "dense").reduce((s, l) => s + l.flops, 0);
    expect(archFlops(workload.arch)).toBe(denseAndConv);
  });
});

describe("reference engines", () => {
  const arch: Arch = workloads[0]?.arch ?? { inputShape: [1, 1, 1], layers: [] };
  const spec = { arch, optimizer: { lr: 0.01, momentum: 0.9 } };

  it("ConvNetJS and TensorFlow.js agree on the same Keras weights, before and after two momentum steps", async () => {
    const weights = randomWeights(arch, 3);
    const xs = randomInputs(3 * inputSize(arch), 4);
    const labels = randomLabels(3, outputSize(arch), 5);
    const engines = [createTfjsCpuEngine(spec), createConvnetjsEngine(spec)];
    const outputs: ArrayLike<number>[][] = [];
    for (const engine of engines) {
      await engine.setup(weights);
      await engine.activate();
      const before = await engine.predictBatch(xs, 3);
      const losses = [engine.trainBatch(xs, labels, 3), engine.trainBatch(xs, labels, 3)];
      outputs.push([before, await engine.predictBatch(xs, 3), losses]);
      engine.dispose();
    }
    const [tfjs, convnet] = outputs;
    if (!tfjs || !convnet) throw new Error("an engine produced nothing");
    expect(maxAbsDiff(tfjs[0] ?? [], convnet[0] ?? [])).toBeLessThan(1e-6);
    expect(maxAbsDiff(tfjs[1] ?? [], convnet[1] ?? [])).toBeLessThan(1e-5);
    expect(maxAbsDiff(tfjs[2] ?? [], convnet[2] ?? [])).toBeLessThan(1e-5);
    // the steps must have changed something, or the comparison after them proves nothing
    expect(maxAbsDiff(tfjs[0] ?? [], tfjs[1] ?? [])).toBeGreaterThan(1e-4);
  });
});
