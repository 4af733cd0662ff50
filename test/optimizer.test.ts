// Optimizer steps against the formulas, hand-computed here from getGradients(): SGD (plain,
// momentum, Nesterov, decoupled weight decay), Adam (with and without weight decay), clipping by
// global norm, and the step and cosine schedules. f64 builds, tolerance 1e-12.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";
import { targets } from "./helpers/targets.js";

type Schedule = { kind: "none" } | { kind: "step"; every: number; gamma: number } | { kind: "cosine"; horizon: number };

/** Everything the reference needs to know about one optimizer. */
interface Spec {
  readonly kind: "sgd" | "adam" | "rmsprop";
  readonly rho?: number;
  readonly centered?: boolean;
  readonly lr: number;
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly weightDecay?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly clip?: number;
  readonly schedule?: Schedule;
}

interface Case {
  readonly name: string;
  /** the optimizer call as written in the .cnn source */
  readonly source: string;
  readonly spec: Spec;
  readonly steps: number;
}

// Each case combines a few features (every model compiled costs time); together they cover SGD
// plain / momentum / Nesterov, Adam with and without weight decay, clipping on and off, and both
// schedules, each compared after every one of its steps.
const cases: Case[] = [
  {
    name: "sgd plain; clip_norm far above the gradient norm",
    source: "sgd(lr: 0.1, clip_norm: 1000)",
    spec: { kind: "sgd", lr: 0.1, clip: 1000 },
    steps: 3,
  },
  { name: "sgd momentum", source: "sgd(lr: 0.1, momentum: 0.9)", spec: { kind: "sgd", lr: 0.1, momentum: 0.9 }, steps: 3 },
  {
    name: "sgd momentum, weight decay, step schedule",
    source: "sgd(lr: 0.1, momentum: 0.9, weight_decay: 0.05, schedule: step(every: 2, gamma: 0.5))",
    spec: { kind: "sgd", lr: 0.1, momentum: 0.9, weightDecay: 0.05, schedule: { kind: "step", every: 2, gamma: 0.5 } },
    steps: 5,
  },
  {
    name: "sgd nesterov, clip_norm active",
    source: "sgd(lr: 0.05, momentum: 0.8, nesterov: true, clip_norm: 0.05)",
    spec: { kind: "sgd", lr: 0.05, momentum: 0.8, nesterov: true, clip: 0.05 },
    steps: 3,
  },
  {
    name: "sgd weight decay, cosine schedule past its horizon",
    source: "sgd(lr: 0.1, weight_decay: 0.05, schedule: cosine)",
    spec: { kind: "sgd", lr: 0.1, weightDecay: 0.05, schedule: { kind: "cosine", horizon: 3 } },
    steps: 5,
  },
  { name: "adam with its defaults", source: "adam()", spec: { kind: "adam", lr: 0.001 }, steps: 3 },
  {
    name: "adam with every argument, weight decay, clip_norm active",
    source: "adam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weight_decay: 0.1, clip_norm: 0.05)",
    spec: { kind: "adam", lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, clip: 0.05 },
    steps: 3,
  },
  {
    name: "adam, cosine schedule",
    source: "adam(lr: 0.01, schedule: cosine)",
    spec: { kind: "adam", lr: 0.01, schedule: { kind: "cosine", horizon: 4 } },
    steps: 3,
  },
  // adamw is adam with Keras 3's decoupled decay of 0.004 by default
  { name: "adamw with its defaults", source: "adamw()", spec: { kind: "adam", lr: 0.001, weightDecay: 0.004 }, steps: 3 },
  { name: "adamw, its decay overridden", source: "adamw(lr: 0.01, weight_decay: 0.1)", spec: { kind: "adam", lr: 0.01, weightDecay: 0.1 }, steps: 3 },
  // RMSprop in PyTorch's form: plain, with momentum, centred (with and without momentum)
  { name: "rmsprop with its defaults", source: "rmsprop()", spec: { kind: "rmsprop", lr: 0.001 }, steps: 3 },
  {
    name: "rmsprop with momentum, rho and eps",
    source: "rmsprop(lr: 0.01, rho: 0.8, momentum: 0.9, eps: 1e-4)",
    spec: { kind: "rmsprop", lr: 0.01, rho: 0.8, momentum: 0.9, eps: 1e-4 },
    steps: 4,
  },
  { name: "rmsprop centred", source: "rmsprop(lr: 0.01, centered: true)", spec: { kind: "rmsprop", lr: 0.01, centered: true }, steps: 3 },
  {
    name: "rmsprop centred, momentum, weight decay, clip_norm active",
    source: "rmsprop(lr: 0.02, momentum: 0.5, centered: true, weight_decay: 0.1, clip_norm: 0.05)",
    spec: { kind: "rmsprop", lr: 0.02, momentum: 0.5, centered: true, weightDecay: 0.1, clip: 0.05 },
    steps: 4,
  },
];

const modelName = (i: number): string => `O${i}`;
const program = cases
  .map(
    (c, i) => `model ${modelName(i)} {
  input x: [4]
  h = x |> dense(5) as d1 |> tanh
  y = h |> dense(3) as d2
  train { loss mse(y) optimizer ${c.source} }
}`,
  )
  .join("\n");

/** The reference optimizer: per-parameter state over the flat parameter vector. */
class ReferenceOptimizer {
  private readonly m: number[];
  private readonly v: number[];
  /** RMSprop's momentum buffer */
  private readonly b: number[];
  private done = 0;

  constructor(
    private readonly spec: Spec,
    size: number,
  ) {
    this.m = new Array<number>(size).fill(0);
    this.v = new Array<number>(size).fill(0);
    this.b = new Array<number>(size).fill(0);
  }

  /** lr for the next step, from the number of steps done before it. */
  learningRate(): number {
    const { lr, schedule = { kind: "none" } } = this.spec;
    const t = this.done;
    if (schedule.kind === "step") return lr * Math.pow(schedule.gamma, Math.floor(t / schedule.every));
    if (schedule.kind === "cosine") return lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, schedule.horizon)) / schedule.horizon));
    return lr;
  }

  /** The clipping factor min(1, clip / ||g||) over all parameters. */
  clipFactor(g: readonly number[]): number {
    if (this.spec.clip === undefined) return 1;
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    return Math.min(1, this.spec.clip / norm);
  }

  step(w: number[], grads: readonly number[]): void {
    const lr = this.learningRate();
    const c = this.clipFactor(grads);
    this.done++;
    const { momentum = 0, nesterov = false, weightDecay = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-7, rho = 0.9, centered = false } = this.spec;
    const t = this.done;
    for (let i = 0; i < w.length; i++) {
      const g = grads[i]! * c;
      // Decoupled weight decay first, from the weights before this step's update.
      w[i] = w[i]! - lr * weightDecay * w[i]!;
      if (this.spec.kind === "rmsprop") {
        // PyTorch's torch.optim.RMSprop: m holds the mean gradient when centred
        this.v[i] = rho * this.v[i]! + (1 - rho) * g * g;
        let avg = this.v[i]!;
        if (centered) {
          this.m[i] = rho * this.m[i]! + (1 - rho) * g;
          avg -= this.m[i]! * this.m[i]!;
        }
        if (momentum > 0) {
          this.b[i] = momentum * this.b[i]! + g / (Math.sqrt(avg) + eps);
          w[i] = w[i]! - lr * this.b[i]!;
        } else w[i] = w[i]! - (lr * g) / (Math.sqrt(avg) + eps);
      } else if (this.spec.kind === "sgd") {
        this.v[i] = momentum * this.v[i]! + g;
        w[i] = w[i]! - (nesterov ? lr * (g + momentum * this.v[i]!) : lr * this.v[i]!);
      } else {
        this.m[i] = beta1 * this.m[i]! + (1 - beta1) * g;
        this.v[i] = beta2 * this.v[i]! + (1 - beta2) * g * g;
        const mHat = this.m[i]! / (1 - Math.pow(beta1, t));
        const vHat = this.v[i]! / (1 - Math.pow(beta2, t));
        w[i] = w[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    }
  }
}

const flat = (list: { data: Float64Array }[]): number[] => list.flatMap((w) => Array.from(w.data));

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const misses: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(Math.abs(e), 1e-2))) misses.push(`[${i}] got ${a}, expected ${e}`);
  }
  expect(misses.slice(0, 5)).toEqual([]);
}

function batch(n: number, seed: number): { xs: Float64Array; ts: Float64Array } {
  const r = rng(seed);
  return {
    xs: Float64Array.from({ length: n * 4 }, () => r() * 4 - 2),
    ts: Float64Array.from({ length: n * 3 }, () => r() * 2 - 1),
  };
}

describe.each(targets)("optimizer steps against hand-computed formulas (f64, --target %s)", (target) => {
  let mod: Record<string, any>;
  beforeAll(async () => {
    mod = await loadModel(program, { precision: "f64", path: "optimizers.cnn", format: false, target });
  }, 60_000);

  it.each(cases.map((c, i) => [c.name, i] as const))("%s", (_, i) => {
    const c = cases[i]!;
    const net = new mod[modelName(i)]({ seed: 20 + i });
    if (c.spec.schedule?.kind === "cosine") net.setTrainingHorizon(c.spec.schedule.horizon);
    const reference = new ReferenceOptimizer(c.spec, net.constructor.paramCount);
    const w = flat(net.getWeights());
    let clipped = false;
    let idleSteps = 0;
    for (let step = 0; step < c.steps; step++) {
      // A different batch each step, so momentum and Adam state see different gradients.
      const { xs, ts } = batch(4, 100 * i + step);
      const before = flat(net.getWeights());
      net.trainBatch(xs, ts, 4);
      const grads = flat(net.getGradients());
      const lr = reference.learningRate();
      if (reference.clipFactor(grads) < 1) clipped = true;
      reference.step(w, grads);
      const after = flat(net.getWeights());
      expectClose(after, w, 1e-12);
      // A zero learning rate (cosine past its horizon) must leave the weights exactly as they were.
      if (lr === 0) {
        idleSteps++;
        expect(after).toEqual(before);
      } else expect(after).not.toEqual(before);
    }
    // Each case exercises what it names: the small clip norms are below the gradient norm, 1000 is far above it.
    if (c.spec.clip !== undefined) expect(clipped).toBe(c.spec.clip < 1);
    const horizon = c.spec.schedule?.kind === "cosine" ? c.spec.schedule.horizon : Infinity;
    expect(idleSteps).toBe(Math.max(0, c.steps - horizon));
  });

  it("the gradients trainBatch steps with are computeGradients' at the same weights", () => {
    const Model = mod[modelName(1)];
    const { xs, ts } = batch(4, 7);
    const a = new Model({ seed: 1 });
    const b = new Model({ seed: 1 });
    const loss = a.computeGradients(xs, ts, 4);
    expect(b.trainBatch(xs, ts, 4)).toBe(loss);
    expect(flat(b.getGradients())).toEqual(flat(a.getGradients()));
  });

  it("a cosine schedule without a horizon refuses to train, and changes nothing", () => {
    const index = cases.findIndex((c) => c.spec.schedule?.kind === "cosine");
    const net = new mod[modelName(index)]({ seed: 2 });
    const before = flat(net.getWeights());
    const { xs, ts } = batch(2, 3);
    expect(() => net.trainBatch(xs, ts, 2)).toThrow(/setTrainingHorizon/);
    expect(flat(net.getWeights())).toEqual(before);
    expect(() => net.setTrainingHorizon(0)).toThrow(RangeError);
  });
});
