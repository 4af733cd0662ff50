// The WebAssembly target against the TypeScript target: the scalar wasm kernels compute in f64
// and round on store as the TypeScript ones do, and take their math functions from the same
// `Math`, so with every kernel scalar (vectorKernels: false) every loss, prediction and weight
// agrees bit for bit, over every op, loss, optimizer, schedule and clipping option. The default
// f32 build's conv2d and dense kernels and its optimizer step are f32x4, computing in f32: those
// agree within float32 rounding. Also: the module itself (it validates, imports only `Math`, one function per
// kernel), `create()`, and weight files moving between the targets.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import type { CliIo } from "../src/cli/io.js";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import type { Graph } from "../src/ir/graph.js";
import { WasmBuild } from "../src/emit/wasm/build.js";
import { BATCH_BLOCK } from "../src/options.js";
import { relativeError, rng } from "./helpers/gradcheck.js";
import { importTypeScript } from "./helpers/load.js";

const example = (name: string): string => readFileSync(new URL(`../examples/${name}.cnn`, import.meta.url), "utf8");

// Between them: every op of the registry, every loss, SGD (plain, momentum, Nesterov), Adam and
// RMSprop (plain, centred with momentum), weight decay, clipping, the step and cosine schedules,
// and frozen layers between trainable ones.
const programs: Record<string, string> = {
  LeNet: example("lenet"),
  Residual: example("residual"),
  Inception: example("inception"),
  Mixed: `model Mixed {
    input x: [9, 9, 2]
    f = x |> conv2d(4, kernel: 3, stride: 2, padding: 1) |> leaky_relu(alpha: 0.2) |> avgpool(2, padding: same) |> dropout(0.3)
    g = f |> conv2d(3, kernel: [1, 2], dilation: 1) |> tanh |> global_maxpool
    y = g |> dense(5) |> sigmoid
    train { loss binary_cross_entropy(y) optimizer adam(lr: 0.01, weight_decay: 0.01, clip_norm: 0.5, schedule: cosine) }
  }`,
  Regress: `model Regress {
    input x: [6]
    y = x |> dense(8) |> relu |> dense(7) |> softmax |> dense(2)
    train { loss mse(y) optimizer sgd(lr: 0.05, weight_decay: 0.01, schedule: step(every: 1, gamma: 0.5)) }
  }`,
  // a frozen layer splits the trainable parameters into runs of 3 + 7 and 3 x 7 + 3... whose
  // lengths leave every remainder mod 4, for the f32x4 step's scalar tails
  Frozen: `model Frozen {
    input x: [5]
    y = x |> dense(3) |> relu |> dense(7, trainable: false) |> tanh |> dense(6) |> dense(3)
    train { loss mse(y) optimizer rmsprop(lr: 0.01, momentum: 0.9, centered: true, weight_decay: 0.01) }
  }`,
  Plain: `model Plain {
    input x: [7]
    y = x |> dense(5, trainable: false) |> dense(3)
    train { loss softmax_cross_entropy(y) optimizer rmsprop(lr: 0.01) }
  }`,
};

type Loaded = { ts: Record<string, any>; wasm: Record<string, any>; scalar: Record<string, any>; wasmCode: string; scalarCode: string };
let built: Loaded;

beforeAll(async () => {
  const source = Object.values(programs).join("\n");
  const [ts, wasm, scalar] = await Promise.all([
    compile(source, { format: false }),
    compile(source, { format: false, target: "wasm" }),
    compile(source, { format: false, target: "wasm", vectorKernels: false }),
  ]);
  if (!ts.code || !wasm.code || !scalar.code) throw new Error(JSON.stringify([...ts.diagnostics, ...wasm.diagnostics, ...scalar.diagnostics]));
  built = { ts: await importTypeScript(ts.code), wasm: await importTypeScript(wasm.code), scalar: await importTypeScript(scalar.code), wasmCode: wasm.code, scalarCode: scalar.code };
}, 300_000);

function batch(Model: any, n: number, seed: number): { xs: Float32Array; ts: Float32Array | Int32Array } {
  const r = rng(seed);
  const xs = Float32Array.from({ length: n * Model.inputSize }, () => r() * 2 - 1);
  const classes = Model.outputSize;
  const name = Model.name as string;
  if (name === "Mixed") return { xs, ts: Float32Array.from({ length: n * classes }, () => (r() < 0.5 ? 0 : 1)) };
  if (name === "Regress" || name === "Frozen") return { xs, ts: Float32Array.from({ length: n * classes }, () => r()) };
  return { xs, ts: Int32Array.from({ length: n }, () => Math.floor(r() * classes)) };
}

const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const bitsEqual = (a: Float32Array, b: Float32Array): boolean => bytesEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

describe("--target wasm with scalar kernels computes what --target ts computes, bit for bit", () => {
  for (const name of Object.keys(programs)) {
    it(name, () => {
      const [T, W] = [built.ts[name], built.scalar[name]];
      const [t, w] = [new T({ seed: 5 }), new W({ seed: 5 })];
      const n = 3;
      const { xs, ts } = batch(T, n, 11);
      t.setTrainingHorizon(4);
      w.setTrainingHorizon(4);
      for (let step = 0; step < 4; step++) expect(w.trainBatch(xs, ts, n), `${name} step ${step}`).toBe(t.trainBatch(xs, ts, n));
      expect(bytesEqual(w.saveWeights(), t.saveWeights())).toBe(true);
      expect(bitsEqual(w.predictBatch(xs, n), t.predictBatch(xs, n))).toBe(true);
      expect(w.evaluate(xs, ts, n)).toEqual(t.evaluate(xs, ts, n));
      w.computeGradients(xs, ts, n);
      t.computeGradients(xs, ts, n);
      w.getGradients().forEach((g: { data: Float32Array }, k: number) => expect(bitsEqual(g.data, t.getGradients()[k].data)).toBe(true));
    });
  }
});

// Forward outputs within 1e-5 of the TypeScript target's (relative to their scale); after four
// training steps, in which the differences of every forward pass feed back, losses within 1e-5
// and weights within 1e-4 relative.
describe("--target wasm with f32x4 conv2d and dense kernels agrees with --target ts within float32 rounding", () => {
  for (const name of Object.keys(programs)) {
    it(name, () => {
      const [T, W] = [built.ts[name], built.wasm[name]];
      const [t, w] = [new T({ seed: 5 }), new W({ seed: 5 })];
      const n = 3;
      const { xs, ts } = batch(T, n, 11);
      expect(relativeError(w.predictBatch(xs, n), t.predictBatch(xs, n))).toBeLessThan(1e-5);
      t.setTrainingHorizon(4);
      w.setTrainingHorizon(4);
      for (let step = 0; step < 4; step++) {
        const [lw, lt] = [w.trainBatch(xs, ts, n), t.trainBatch(xs, ts, n)];
        expect(Math.abs(lw - lt), `${name} step ${step}`).toBeLessThan(1e-5 * Math.abs(lt));
      }
      const [ww, wt] = [w.getWeights(), t.getWeights()];
      ww.forEach((x: { name: string; data: Float32Array }, k: number) => expect(relativeError(x.data, wt[k].data), x.name).toBeLessThan(1e-4));
      expect(relativeError(w.predictBatch(xs, n), t.predictBatch(xs, n))).toBeLessThan(1e-4);
    });
  }

  it("the default build's module has f32x4 arithmetic, the scalar build's none", async () => {
    const binaryen = (await import("binaryen")).default;
    const text = (code: string): string => {
      const m = binaryen.readBinary(moduleBytes(code, "LeNet"));
      const t = m.emitText();
      m.dispose();
      return t;
    };
    expect(text(built.wasmCode)).toContain("f32x4.mul");
    expect(text(built.scalarCode)).not.toContain("f32x4.mul");
  });
});

describe("weight files move between the targets unchanged", () => {
  it("ts -> wasm -> ts", () => {
    const [T, W] = [built.ts["LeNet"], built.wasm["LeNet"]];
    const trained = new T({ seed: 1 });
    const { xs, ts } = batch(T, 4, 3);
    trained.trainBatch(xs, ts, 4);
    const file: Uint8Array = trained.saveWeights();
    const w = new W({ seed: 2 });
    w.loadWeights(file);
    // the same weights: predictions within the f32x4 kernels' rounding
    expect(relativeError(w.predictBatch(xs, 4), trained.predictBatch(xs, 4))).toBeLessThan(1e-5);
    const back: Uint8Array = w.saveWeights();
    expect(bytesEqual(back, file)).toBe(true);
    const t = new T({ seed: 3 });
    t.loadWeights(back);
    expect(bitsEqual(t.predictBatch(xs, 4), trained.predictBatch(xs, 4))).toBe(true);
  });
});

/** The base64 text of a model's module, read out of the generated code. */
function moduleBytes(code: string, className: string): Uint8Array<ArrayBuffer> {
  // the string literal after the declaration (prettier may put it on the next line)
  const open = code.indexOf('"', code.indexOf(`const $${className}$wasm: string =`));
  const text = code.slice(open + 1, code.indexOf('"', open + 1));
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

describe("the module", () => {
  it("validates, imports only Math, exports its memory and one function per kernel", () => {
    for (const name of Object.keys(programs)) {
      const bytes = moduleBytes(built.wasmCode, name);
      expect(WebAssembly.validate(bytes), name).toBe(true);
      const mod = new WebAssembly.Module(bytes);
      for (const i of WebAssembly.Module.imports(mod)) expect(i.module, `${name} imports ${i.name}`).toBe("Math");
      const exports = WebAssembly.Module.exports(mod);
      expect(exports.filter((e) => e.kind === "memory").map((e) => e.name)).toEqual(["memory"]);
      // every layer's forward and backward method, and the optimizer step, and for each layer
      // whose backward keeps its sample at a block slot (its one parameter), B block products
      const proto = built.wasm[name].prototype as Record<string, unknown>;
      const methods = Object.getOwnPropertyNames(proto).filter((m) => m.startsWith("fwd") || m.startsWith("bwd") || m === "step");
      const blocked = methods.filter((m) => m.startsWith("bwd") && String(proto[m]).startsWith(`${m}(slot)`));
      // the batch block takes no layer this small (BLOCK_MIN_GRADIENT in src/options.ts; test/batch-block.test.ts)
      expect(blocked.length, name).toBe(0);
      expect(exports.filter((e) => e.kind === "function").length, name).toBe(methods.length + blocked.length * BATCH_BLOCK);
    }
  });

  it("keeps 12 bytes or more after its last region, also when the regions fill whole pages", async () => {
    // a partial f32x4 (the last n % 4 filters or units) loads up to 3 floats (12 bytes) past its live ones
    const binaryen = (await import("binaryen")).default;
    const layouts = [
      { arenaSize: 16384, indexSize: 0 }, // the value arena alone, one page exactly
      { arenaSize: 16000, indexSize: 384 }, // values and index arena, one page together
      { arenaSize: 100, indexSize: 7 },
    ];
    for (const { arenaSize, indexSize } of layouts) {
      const graph = { plan: { arena: "Float32Array", arenaSize, indexSize, sample: undefined } } as unknown as Graph;
      const mod = new WasmBuild(binaryen, graph).finish();
      const memory = new WebAssembly.Instance(new WebAssembly.Module(mod.bytes as Uint8Array<ArrayBuffer>)).exports.memory as WebAssembly.Memory;
      expect(memory.buffer.byteLength, `${arenaSize} values, ${indexSize} indices`).toBeGreaterThanOrEqual(mod.indexByte + indexSize * 4 + 12);
    }
  });

  it("create() compiles asynchronously and builds the same model as new", async () => {
    const W = built.wasm["Residual"];
    const a = await W.create({ seed: 8 });
    expect(a).toBeInstanceOf(W);
    expect(bytesEqual(a.saveWeights(), new W({ seed: 8 }).saveWeights())).toBe(true);
  });

  // load() copies a Float32Array's or Float64Array's sample with one set() and any other array
  // element by element: the same inputs as each kind of array must give the same bits (a wrong
  // offset or length in the set() path would not)
  it("a typed array's samples load as a plain array's do", () => {
    for (const name of Object.keys(programs)) {
      const W = built.wasm[name];
      const [a, b, c] = [new W({ seed: 3 }), new W({ seed: 3 }), new W({ seed: 3 })];
      const n = 3;
      const { xs, ts } = batch(W, n, 21);
      const plain = Array.from(xs);
      a.setTrainingHorizon(1);
      c.setTrainingHorizon(1);
      expect(bitsEqual(a.predictBatch(xs, n), b.predictBatch(plain, n)), name).toBe(true);
      expect(bitsEqual(a.predictBatch(Float64Array.from(xs), n), b.predictBatch(plain, n)), name).toBe(true);
      expect(bitsEqual(a.predict(xs.subarray(W.inputSize, 2 * W.inputSize)), b.predict(plain.slice(W.inputSize, 2 * W.inputSize))), name).toBe(true);
      expect(a.trainBatch(xs, ts, n), name).toBe(c.trainBatch(plain, ts, n));
      expect(bytesEqual(a.saveWeights(), c.saveWeights()), name).toBe(true);
    }
  });

  it("instances do not share memory", () => {
    const W = built.wasm["LeNet"];
    const [a, b] = [new W({ seed: 1 }), new W({ seed: 1 })];
    const { xs, ts } = batch(W, 2, 4);
    const before = b.saveWeights();
    a.trainBatch(xs, ts, 2);
    expect(bytesEqual(b.saveWeights(), before)).toBe(true);
    expect(bytesEqual(a.saveWeights(), before)).toBe(false);
  });
});

describe("code size", () => {
  it("the module's size does not grow with tensor sizes", async () => {
    const net = (size: number): string => `model Big {
      input image: [${size}, ${size}, 3]
      f = image |> conv2d(8, kernel: 3, padding: same) |> relu |> maxpool(2) |> conv2d(8, kernel: 5, stride: 2) |> relu |> global_maxpool
      logits = f |> dense(10)
      train { loss softmax_cross_entropy(logits) optimizer adam() }
    }`;
    const [small, large] = await Promise.all([compile(net(28), { target: "wasm", format: false }), compile(net(224), { target: "wasm", format: false })]);
    expect(moduleBytes(large.code!, "Big").length).toBeLessThanOrEqual(moduleBytes(small.code!, "Big").length * 1.05);
    expect(large.code!.length).toBeLessThanOrEqual(small.code!.length * 1.05);
  });
});

describe("the CLI", () => {
  const run = async (args: string[]): Promise<{ code: number; err: string }> => {
    let err = "";
    const io: CliIo = { out: () => undefined, err: (t) => void (err += t), errColor: false, stdin: async () => new Uint8Array() };
    return { code: await main(args, io), err };
  };

  it("--target wasm writes the wasm module; --readable with it is CNN3090; another target is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cnnc-wasm-"));
    const input = join(dir, "net.cnn");
    writeFileSync(input, programs["Regress"]!);
    const out = join(dir, "net.ts");
    expect(await run([input, "--target", "wasm", "-o", out])).toEqual({ code: 0, err: "" });
    const code = readFileSync(out, "utf8");
    expect(code.split("\n")[0]).toContain("(--target wasm)");
    expect(WebAssembly.validate(moduleBytes(code, "Regress"))).toBe(true);
    const refused = await run([input, "--target", "wasm", "--readable", "-o", out]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("error[CNN3090]");
    expect((await run([input, "--target", "gpu", "-o", out])).code).toBe(2);
  });
});

// Batch norm on the wasm target: a model that trains one trains layer-major there too, its
// memory growing with the batch (test/batchnorm.test.ts checks it over every optimizer); with
// every kernel scalar (vectorKernels: false) bit for bit as on the TypeScript target, with the
// f32x4 ones within float32 rounding. Prediction folds the batch norms into every kind of
// convolution and dense layer before them.
describe("--target wasm trains a batch-norm model", () => {
  const source = `model Normed {
    input x: [8, 8, 1]
    f = x |> conv2d(4, kernel: 3, padding: same) |> batchnorm |> relu |> maxpool(2)
    logits = f |> flatten |> dense(3) |> batchnorm
    train { loss softmax_cross_entropy(logits) optimizer adam(lr: 0.01) }
  }`;

  it("its memory grows with the first larger batch (no other model's does), and it trains as on the TypeScript target", async () => {
    const [ts, wasm, vector] = await Promise.all([
      compile(source, { format: false }),
      compile(source, { format: false, target: "wasm", vectorKernels: false }),
      compile(source, { format: false, target: "wasm" }),
    ]);
    expect(wasm.diagnostics).toEqual([]);
    const [T, W] = [(await importTypeScript(ts.code!)).Normed, (await importTypeScript(wasm.code!)).Normed];
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(moduleBytes(wasm.code!, "Normed"))).map((e) => e.name);
    expect(exports).toContain("setIndexBase");
    const [t, w] = [new T({ seed: 2 }), new W({ seed: 2 })];
    const bytes = (): number => (w as any).k.memory.buffer.byteLength;
    const first = bytes();
    for (const n of [2, 300, 300, 7]) {
      const { xs, ts: labels } = batch(W, n, n);
      expect(w.trainBatch(xs, labels, n)).toBe(t.trainBatch(xs, labels, n));
    }
    expect(bytes()).toBeGreaterThan(first);
    expect(bytesEqual(w.saveWeights(), t.saveWeights())).toBe(true);
    const { xs } = batch(W, 5, 1);
    expect(bitsEqual(w.predictBatch(xs, 5), t.predictBatch(xs, 5))).toBe(true);
    // trained layer-major, its load() takes its sample's offset: a typed array's samples, copied
    // by set(), land where a plain array's do
    const [u, u2] = [new W({ seed: 2 }), new W({ seed: 2 })];
    const { xs: us, ts: ul } = batch(W, 4, 9);
    expect(u.trainBatch(us, ul, 4)).toBe(u2.trainBatch(Array.from(us), ul, 4));
    expect(bytesEqual(u.saveWeights(), u2.saveWeights())).toBe(true);
    // the f32x4 build: the same predictions from the same weights (within float32 rounding), and
    // it grows and trains the same way, its losses within float32 rounding
    const [v, t2] = [new (await importTypeScript(vector.code!)).Normed({ seed: 2 }), new T({ seed: 2 })];
    const [pv, pt] = [v.predictBatch(xs, 5), t2.predictBatch(xs, 5)];
    for (let i = 0; i < pt.length; i++) expect(Math.abs(pv[i]! - pt[i]!)).toBeLessThan(1e-5);
    for (const n of [2, 300, 7]) {
      const { xs, ts: labels } = batch(W, n, n);
      expect(Math.abs(v.trainBatch(xs, labels, n) - t2.trainBatch(xs, labels, n))).toBeLessThan(1e-4);
    }
    // a model that trains sample by sample keeps its fixed memory and constant index base
    const lenet = new built.wasm["LeNet"]({ seed: 1 });
    expect(() => (lenet as any).k.memory.grow(1)).toThrow(RangeError);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(moduleBytes(built.wasmCode, "LeNet"))).map((e) => e.name)).not.toContain("setIndexBase");
  });
});

// Prediction with batch norms folded into every kind of convolution and dense layer before them:
// bit for bit as on the TypeScript target with scalar kernels, within float32 rounding with the
// f32x4 ones.
describe("--target wasm with inference-only batch norms", () => {
  it("predicts what the TypeScript target predicts, the batch norms folded", async () => {
    const source = `model N {
      input x: [8, 8, 2]
      f = x |> conv2d(4, kernel: 3, padding: same, bias: false) |> batchnorm |> relu
      g = f |> depthwise_conv2d(kernel: 3, depth_multiplier: 2) |> batchnorm
      h = g |> separable_conv2d(3, kernel: 2) |> batchnorm |> conv2d_transpose(2, kernel: 2, stride: 2) |> batchnorm
      y = h |> flatten |> dense(5) |> batchnorm
    }`;
    const [ts, wasm, scalar] = await Promise.all([compile(source, { format: false }), compile(source, { format: false, target: "wasm" }), compile(source, { format: false, target: "wasm", vectorKernels: false })]);
    const T = (await importTypeScript(ts.code!)).N;
    const W = (await importTypeScript(wasm.code!)).N;
    const S = (await importTypeScript(scalar.code!)).N;
    const [t, w, sc] = [new T({ seed: 1 }), new W({ seed: 1 }), new S({ seed: 1 })];
    const r = rng(3);
    const list = t.getWeights().map((x: any) => ({ ...x, data: x.data.map((v: number) => (x.name.includes("variance") ? 0.5 + r() : x.name.includes("kernel") ? v : r() - 0.5)) }));
    t.setWeights(list);
    w.setWeights(list);
    sc.setWeights(list);
    const xs = Float32Array.from({ length: 3 * T.inputSize }, () => r() * 2 - 1);
    const [a, b] = [t.predictBatch(xs, 3), sc.predictBatch(xs, 3)];
    expect(bitsEqual(a, b)).toBe(true);
    expect(relativeError(w.predictBatch(xs, 3), a)).toBeLessThan(1e-5);
    expect(Array.from(a).some((v) => v !== 0)).toBe(true);
  });
});
