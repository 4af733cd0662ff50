// Shape-error mutants: a valid network cut after one of its tensors, plus one layer that cannot
// take that tensor. Each mutant says what tfjs-layers should do with it, from tfjs' own rules.
import type { Binding, Conv2dCall, Dims, MergeCall, Network, UnaryCall } from "./network.js";
import { layersOf } from "./network.js";
import type { Rng } from "./random.js";
import { networkShapes, unaryShape } from "./shapes.js";

export const mutationKinds = [
  "kernel-too-big",
  "dilated-kernel-too-big",
  "pool-too-big",
  "dense-on-image",
  "conv-on-vector",
  "pool-on-vector",
  "global-pool-on-vector",
  "add-channels",
  "add-spatial",
  "add-rank",
  "concat-spatial",
  "concat-rank",
  "groups-channels",
  "depthwise-kernel-too-big",
  "transpose-on-vector",
  "conv1d-on-image",
  "conv2d-on-sequence",
  "upsample-on-sequence",
  "dense-on-sequence",
  "conv1d-kernel-too-big",
  "pool1d-too-big",
] as const;

/** The kinds that need a sequence [n, c] to mutate. */
const onSequence: readonly MutationKind[] = ["conv2d-on-sequence", "upsample-on-sequence", "dense-on-sequence", "conv1d-kernel-too-big", "pool1d-too-big"];

export type MutationKind = (typeof mutationKinds)[number];

/** What tfjs-layers does with the mutant, by its documented behaviour. */
export type TfjsExpectation =
  | { readonly kind: "rejects" }
  /** accepted on purpose: tfjs follows Keras where LANGUAGE.md is stricter; `why` says how */
  | { readonly kind: "accepts"; readonly why: string };

export interface Mutant {
  readonly kind: MutationKind;
  readonly net: Network;
  /** index in layersOf(net) of the layer that must be rejected */
  readonly badLayer: number;
  readonly tfjs: TfjsExpectation;
}

interface Value {
  readonly name: string;
  readonly shape: Dims;
}

const rejects: TfjsExpectation = { kind: "rejects" };

export const explanations = {
  denseOnImage: "Keras' Dense applies to the last axis of a rank-3 tensor; LANGUAGE.md's dense takes [n] only",
  denseOnSequence: "Keras' Dense applies to the last axis of a sequence [n, c]; LANGUAGE.md's dense takes [n] only",
  broadcast: "tfjs-layers' add broadcasts size-1 and missing leading dimensions as Keras does; LANGUAGE.md's add needs one shape",
};

/** A mutant of `kind` built on `net`, or null when no tensor of `net` suits that kind. */
export function mutate(net: Network, kind: MutationKind, rng: Rng): Mutant | null {
  const shapes = networkShapes(net).named;
  const values: Value[] = [net.input, ...net.bindings.map((b) => ({ name: b.name, shape: shapes.get(b.name)! }))];
  const wantRank = kind.endsWith("-on-vector") ? 1 : onSequence.includes(kind) ? 2 : kind === "add-channels" ? rng.pick([1, 3]) : 3;
  // a count that 2, 3 and 4 all divide (a multiple of 12) has no wrong group count to try
  const suits = (v: Value): boolean => kind !== "groups-channels" || [2, 3, 4].some((g) => v.shape[2]! % g !== 0);
  const eligible = values.filter((v) => v.shape.length === wantRank && (!kind.includes("spatial") || v.shape[0]! > 1 || v.shape[1]! > 1) && suits(v));
  if (eligible.length === 0) return null;
  const at = rng.pick(eligible);
  const prefix = net.bindings.slice(0, net.bindings.findIndex((b) => b.name === at.name) + 1);
  const tail = mutation(kind, at, rng);
  const bindings = [...prefix, ...tail.bindings];
  const mutant: Network = { ...net, bindings, outputForm: "implicit", optimizers: [] };
  delete (mutant as { train?: unknown }).train;
  return { kind, net: mutant, badLayer: layersOf(mutant).length - 1, tfjs: tail.tfjs };
}

interface Tail {
  readonly bindings: Binding[];
  readonly tfjs: TfjsExpectation;
}

function mutation(kind: MutationKind, v: Value, rng: Rng): Tail {
  const [h = 1, w = 1, c = 1] = v.shape;
  switch (kind) {
    case "kernel-too-big": {
      const pad = rng.pick([0, 0, 1]);
      const tall = rng.chance(0.5);
      const big = (n: number): number => n + 2 * pad + rng.int(1, 3);
      const kernel: [number, number] = tall ? [big(h), rng.int(1, w)] : [rng.int(1, h), big(w)];
      return unary(v, {
        op: "conv2d",
        filters: rng.int(1, 4),
        kernel,
        stride: 1,
        padding: pad === 0 ? "valid" : pad,
        dilation: 1,
        bias: true,
      });
    }
    case "dilated-kernel-too-big": {
      const k = Math.floor((Math.max(h, w) + 1) / 2) + 1;
      return unary(v, { op: "conv2d", filters: rng.int(1, 4), kernel: [k, k], stride: 1, padding: "valid", dilation: 2, bias: true });
    }
    case "pool-too-big":
      return unary(v, {
        op: rng.pick(["maxpool", "avgpool"] as const),
        size: [h + rng.int(1, 2), rng.int(1, w)],
        stride: null,
        padding: "valid",
      });
    case "dense-on-image":
      return { ...unary(v, { op: "dense", units: rng.int(1, 8), bias: true }), tfjs: { kind: "accepts", why: explanations.denseOnImage } };
    case "conv-on-vector":
      return unary(v, { op: "conv2d", filters: 2, kernel: [1, 1], stride: 1, padding: "valid", dilation: 1, bias: true });
    case "pool-on-vector":
      return unary(v, { op: rng.pick(["maxpool", "avgpool"] as const), size: [1, 1], stride: null, padding: "valid" });
    case "global-pool-on-vector":
      return unary(v, { op: rng.pick(["global_avgpool", "global_maxpool"] as const) });
    case "add-channels": {
      const other = v.shape.length === 1 ? h + rng.int(1, 4) : c + rng.int(1, 4);
      const arm: UnaryCall = v.shape.length === 1 ? { op: "dense", units: other, bias: true } : conv1x1(other);
      return merge("add", v, [arm]);
    }
    case "add-spatial":
      return merge("add", v, [halve()]);
    case "add-rank":
      return merge(
        "add",
        v,
        rng.chance(0.5) ? [{ op: "global_avgpool" }] : [{ op: "flatten" }, { op: "dense", units: c + rng.int(1, 4), bias: true }],
      );
    case "concat-spatial":
      return merge("concat", v, [halve()]);
    case "concat-rank":
      return merge("concat", v, [{ op: "global_maxpool" }]);
    case "groups-channels": {
      // groups that do not divide the channels (filters a multiple, so only the channels are wrong)
      const groups = rng.pick([2, 3, 4].filter((g) => c % g !== 0));
      return unary(v, { ...conv1x1(groups * rng.int(1, 2)), groups });
    }
    case "depthwise-kernel-too-big":
      return unary(v, {
        op: "depthwise_conv2d",
        kernel: [h + rng.int(1, 2), rng.int(1, w)],
        stride: 1,
        padding: "valid",
        dilation: 1,
        depthMultiplier: rng.pick([1, 2]),
        bias: true,
      });
    case "transpose-on-vector":
      return unary(v, { op: "conv2d_transpose", filters: 2, kernel: [1, 1], stride: 1, padding: "valid", bias: true });
    case "conv1d-on-image":
      return unary(v, conv1d(rng.int(1, 4), 1, "valid"));
    case "conv2d-on-sequence":
      return unary(v, conv1x1(rng.int(1, 4)));
    case "upsample-on-sequence":
      return unary(v, { op: "upsample", size: [2, 2], interpolation: rng.chance(0.5) ? "nearest" : "bilinear" });
    case "dense-on-sequence":
      return { ...unary(v, { op: "dense", units: rng.int(1, 8), bias: true }), tfjs: { kind: "accepts", why: explanations.denseOnSequence } };
    case "conv1d-kernel-too-big": {
      // along a sequence [n, c], h is the length
      const pad = rng.pick([0, 0, 1]);
      return unary(v, conv1d(rng.int(1, 4), h + 2 * pad + rng.int(1, 3), pad === 0 ? "valid" : pad));
    }
    case "pool1d-too-big": {
      const k = h + rng.int(1, 2);
      return unary(v, { op: rng.pick(["maxpool", "avgpool"] as const), size: [k, k], stride: null, padding: "valid" });
    }
  }
}

function unary(v: Value, call: UnaryCall): Tail {
  return { bindings: [{ name: "bad", source: { kind: "ref", name: v.name }, calls: [call], annotate: false }], tfjs: rejects };
}

/** `arm = v |> calls`, then `bad = op(v, arm)`. */
function merge(op: MergeCall["op"], v: Value, calls: UnaryCall[]): Tail {
  const armShape = calls.reduce<Dims | null>((s, call) => s && unaryShape(call, s), v.shape);
  if (!armShape) throw new Error("the arm of a merge mutant must be valid");
  const arm: Binding = { name: "arm", source: { kind: "ref", name: v.name }, calls, annotate: false };
  const bad: Binding = { name: "bad", source: { kind: "merge", call: { op, inputs: [v.name, "arm"] } }, calls: [], annotate: false };
  const broadcasts = op === "add" && broadcastable(v.shape, armShape);
  return { bindings: [arm, bad], tfjs: broadcasts ? { kind: "accepts", why: explanations.broadcast } : rejects };
}

function conv1d(filters: number, kernel: number, padding: "valid" | number): UnaryCall {
  return { op: "conv1d", filters, kernel, stride: 1, padding, dilation: 1, groups: 1, bias: true };
}

function conv1x1(filters: number): Conv2dCall {
  return { op: "conv2d", filters, kernel: [1, 1], stride: 1, padding: "valid", dilation: 1, bias: true };
}

/** halves the spatial size (rounding up), so it changes whenever a side is at least 2 */
function halve(): UnaryCall {
  return { op: "maxpool", size: [2, 2], stride: null, padding: "same" };
}

/** Keras' elementwise merge rule: aligned from the right, each pair equal or one of them 1. */
export function broadcastable(a: Dims, b: Dims): boolean {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return short.every((d, i) => {
    const e = long[long.length - short.length + i]!;
    return d === e || d === 1 || e === 1;
  });
}
