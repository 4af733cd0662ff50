// Forward values of the sequence ops (conv1d, pools and global pools along a sequence, flatten
// and activations on a sequence) and of upsample, against the independent nested-loop
// references in helpers/reference-sequence.ts, with random weights set through setWeights
// (Keras layouts), in both precisions. As in forward.test.ts, the cases share one model per
// input shape: each case is a branch, the output their flattened concat.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "./helpers/gradcheck.js";
import { loadModel } from "./helpers/load.js";
import { flattenImage, toImage } from "./helpers/reference.js";
import * as seq from "./helpers/reference-sequence.js";

type Data = Float32Array | Float64Array;
type WeightList = { name: string; shape: number[]; data: Data }[];

const groups = { Seq: [11, 4], Img: [3, 4, 2] } as const;
type Group = keyof typeof groups;

interface Case {
  readonly name: string;
  readonly group: Group;
  readonly pipeline: string;
  /** the branch's values for one sample, given its weights by name */
  readonly reference: (x: number[], weight: (name: string) => number[]) => number[];
}

const cases: Case[] = [];
const [n, c] = groups.Seq;

function seqCase(name: string, pipeline: string, f: (x: seq.Sequence, weight: (suffix: string) => number[]) => seq.Sequence | number[]): void {
  cases.push({
    name,
    group: "Seq",
    pipeline,
    reference: (x, weight) => {
      const y = f(seq.toSequence(x, n, c), weight);
      return typeof y[0] === "number" ? (y as number[]) : seq.flattenSequence(y as seq.Sequence);
    },
  });
}

const conv = (filters: number, k: number, o: seq.Conv1dOptions, bias = true) => (x: seq.Sequence, weight: (suffix: string) => number[]) =>
  seq.conv1d(x, weight("kernel"), bias ? weight("bias") : null, k, filters, o);

// conv1d: every stride, padding (causal included), dilation and groups in a covering set;
// gradcheck/sequence.ts sweeps the product.
const sweep: [number, seq.SequencePadding, number, number][] = [
  [1, "valid", 1, 1],
  [1, "same", 2, 1],
  [1, "causal", 1, 2],
  [1, "causal", 3, 1],
  [1, 2, 1, 4],
  [2, "valid", 2, 2],
  [2, "same", 1, 4],
  [2, "causal", 2, 1],
  [3, "same", 1, 2],
  [3, "causal", 1, 4],
  [3, 1, 2, 1],
];
for (const [stride, padding, dilation, groupCount] of sweep)
  seqCase(
    `conv1d k=3 s=${stride} p=${padding} d=${dilation} groups=${groupCount}`,
    `conv1d(4, kernel: 3, stride: ${stride}, padding: ${padding}, dilation: ${dilation}, groups: ${groupCount})`,
    conv(4, 3, { stride, padding, dilation, groups: groupCount }),
  );
seqCase("conv1d kernel 1 without bias", "conv1d(3, kernel: 1, bias: false)", conv(3, 1, { stride: 1, padding: "valid", dilation: 1, groups: 1 }, false));
seqCase("conv1d kernel 11 (whole length), same", "conv1d(2, kernel: 11, padding: same)", conv(2, 11, { stride: 1, padding: "same", dilation: 1, groups: 1 }));
seqCase("conv1d kernel 18 (looped taps), causal", "conv1d(2, kernel: 18, padding: causal)", conv(2, 18, { stride: 1, padding: "causal", dilation: 1, groups: 1 }));
seqCase("conv1d with a fused relu", "conv1d(4, kernel: 2, padding: causal, groups: 2) |> relu", (x, w) =>
  conv(4, 2, { stride: 1, padding: "causal", dilation: 1, groups: 2 })(x, w).map((row) => row.map((v) => Math.max(v, 0))),
);

for (const [kind, op] of [["max", "maxpool"], ["avg", "avgpool"]] as const)
  for (const [size, stride, padding] of [[2, null, "valid"], [3, 1, "same"], [3, 2, "valid"], [2, 3, "same"], [3, 2, 1], [4, 3, "same"]] as const)
    seqCase(
      `${op} size=${size} stride=${stride ?? "size"} p=${padding} along a sequence`,
      `${op}(${size}${stride === null ? "" : `, stride: ${stride}`}, padding: ${padding})`,
      (x) => seq.pool1d(x, kind, size, stride ?? size, padding),
    );
seqCase("global_avgpool along a sequence", "global_avgpool", (x) => seq.globalPool1d(x, "avg"));
seqCase("global_maxpool along a sequence", "global_maxpool", (x) => seq.globalPool1d(x, "max"));
seqCase("tanh on a sequence", "tanh", (x) => x.map((row) => row.map(Math.tanh)));
seqCase("dropout on a sequence (identity when predicting)", "dropout(0.5)", (x) => x);

for (const [interpolation, sizes] of [["nearest", [[2, 2], [3, 1], [1, 2]]], ["bilinear", [[2, 2], [3, 3], [2, 3], [1, 4]]]] as const)
  for (const [sh, sw] of sizes)
    cases.push({
      name: `upsample ${interpolation} ${sh}x${sw}`,
      group: "Img",
      pipeline: `upsample(size: [${sh}, ${sw}], interpolation: ${interpolation})`,
      reference: (x) => {
        const image = toImage(x, ...groups.Img);
        return flattenImage(interpolation === "nearest" ? seq.upsampleNearest(image, sh, sw) : seq.upsampleBilinear(image, sh, sw));
      },
    });

const groupNames = Object.keys(groups) as Group[];

function groupModel(group: Group): string {
  const members = cases.map((cs, k) => ({ cs, k })).filter(({ cs }) => cs.group === group);
  return `model ${group} {
  input x: [${groups[group].join(", ")}]
  ${members.map(({ cs, k }) => `b${k} = x |> ${cs.pipeline}\n  f${k} = b${k} |> flatten`).join("\n  ")}
  y = concat(${members.map(({ k }) => `f${k}`).join(", ")})
}`;
}

function misses(actual: ArrayLike<number>, expected: readonly number[], tol: number): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`length ${actual.length}, expected ${expected.length}`];
  for (let i = 0; i < expected.length && out.length < 5; i++)
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) out.push(`[${i}] got ${actual[i]}, expected ${expected[i]}`);
  return out;
}

const samples = 3;

for (const precision of ["f64", "f32"] as const) {
  describe(`forward values of the sequence ops and upsample against nested-loop references (${precision})`, () => {
    const Typed = precision === "f64" ? Float64Array : Float32Array;
    const tol = precision === "f64" ? 1e-12 : 1e-5;
    const runs = new Map<Group, { out: Data; single: Data; size: number; inputs: number[][]; weights: WeightList }>();
    beforeAll(async () => {
      const mod = await loadModel(groupNames.map(groupModel).join("\n\n"), { precision, path: "forward-sequence.cnn" });
      for (const [g, group] of groupNames.entries()) {
        const Model = mod[group];
        const net = new Model({ seed: 7 + g });
        const r = rng(11 + g);
        const weights: WeightList = net.getWeights().map((w: WeightList[number]) => ({ ...w, data: new Typed(Array.from(w.data, () => r() * 2 - 1)) }));
        net.setWeights(weights);
        const xs = new Typed(Array.from({ length: samples * Model.inputSize }, () => r() * 4 - 2));
        const inputs = [...Array(samples).keys()].map((s) => Array.from(xs.subarray(s * Model.inputSize, (s + 1) * Model.inputSize)));
        runs.set(group, { out: net.predictBatch(xs, samples), single: net.predict(xs.subarray(0, Model.inputSize)), size: Model.outputSize, inputs, weights: net.getWeights() });
      }
    }, 120_000);

    it.each(cases.map((cs, k) => [cs.name, k] as const))("%s", (_, k) => {
      const cs = cases[k]!;
      const run = runs.get(cs.group)!;
      const weight = (suffix: string): number[] => {
        // a binding with one parameter layer names its parameters after itself
        const w = run.weights.find((entry) => entry.name === `b${k}.${suffix}`);
        if (!w) throw new Error(`no weight b${k}.${suffix}`);
        return Array.from(w.data);
      };
      // where this branch starts: the lengths of the earlier branches of its group
      const at = cases.slice(0, k).reduce((sum, other) => (other.group === cs.group ? sum + other.reference(run.inputs[0]!, () => []).length : sum), 0);
      for (let s = 0; s < samples; s++) {
        const expected = cs.reference(run.inputs[s]!, weight);
        expect(misses(run.out.subarray(s * run.size + at, s * run.size + at + expected.length), expected, tol), `sample ${s}`).toEqual([]);
        if (s === 0) expect(misses(run.single.subarray(at, at + expected.length), expected, tol), "predict").toEqual([]);
      }
    });
  });
}
