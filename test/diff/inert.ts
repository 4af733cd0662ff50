// Parameters whose true gradient is identically zero: a per-channel additive parameter (a bias,
// a batch norm's beta) whose only way to the loss is a training-mode batch norm, through ops
// that carry a per-channel constant through unchanged. The batch norm subtracts its batch mean,
// which removes any such constant, so the loss does not depend on the parameter at all. Every
// engine's gradient for it is the float32 rounding noise of a sum that cancels exactly, and an
// optimizer that divides by the gradient's size (Adam) or remembers it (momentum) turns that
// noise into steps that differ engine by engine. The oracle (oracle.ts) checks such a gradient
// for being noise in both engines and feeds cnnc's noise to both optimizers, so the optimizer's
// arithmetic is still compared exactly on these parameters.
//
// Calling a parameter inert that is not only weakens nothing: its gradient is then not noise in
// tfjs or cnnc, and the noise check fails.
import type { MergeCall, Network, PaddingSpec, UnaryCall } from "./network.js";
import { outputName } from "./network.js";
import { paramLayerNames } from "./names.js";

/** Ops whose output shifts by a per-channel constant when their input does: pools (max, and
 *  average over the real cells only), upsampling (nearest, and bilinear's weights sum to 1),
 *  flatten (a channel's constant becomes one per feature, which a batch norm over features
 *  removes as well), the merges (add passes each input's constant on; concat keeps it in its
 *  channels), dense layers, convolutions that pad nothing (a constant input gives a constant
 *  per filter; zero padding would make it vary at the borders) and dropout at rate 0 (the
 *  generator's only rate in a trained network). Activations bend it, dropout at a rate scales
 *  it by a random mask, a strided transposed convolution overlaps unevenly: none of those. */
function carriesShift(call: UnaryCall | MergeCall): boolean {
  switch (call.op) {
    case "maxpool": case "avgpool": case "upsample": case "flatten": case "global_avgpool": case "global_maxpool": case "add": case "concat": case "dense":
      return true;
    case "dropout":
      return call.rate === 0;
    case "conv2d": case "depthwise_conv2d": case "separable_conv2d":
      return padsNothing(call.padding, call.kernel);
    case "conv1d":
      return padsNothing(call.padding, [call.kernel]);
    default:
      return false;
  }
}

/** "valid" and an explicit 0 pad nothing; "same" and "causal" pad k - 1 taps, none for k = 1. */
function padsNothing(padding: PaddingSpec | "causal", kernel: readonly number[]): boolean {
  return padding === "valid" || padding === 0 || (typeof padding === "string" && kernel.every((k) => k === 1));
}

/** The gradient-zero parameters of `net`, by their cnnc names. */
export function inertParams(net: Network): Set<string> {
  const names = paramLayerNames(net);
  const inert = new Set<string>();
  let index = 0;
  net.bindings.forEach((binding, b) => {
    const calls: (UnaryCall | MergeCall)[] = binding.source.kind === "merge" ? [binding.source.call, ...binding.calls] : [...binding.calls];
    calls.forEach((call, i) => {
      const name = names.get(index++);
      const shift = additiveParam(call);
      if (name !== undefined && shift !== null && reachesNormOnly(net, b, calls.slice(i + 1))) inert.add(`${name}.${shift}`);
    });
  });
  return inert;
}

/** The name of the layer's per-channel additive parameter, or null. */
function additiveParam(call: UnaryCall | MergeCall): string | null {
  if (call.op === "batchnorm") return call.center ? "beta" : null;
  return "bias" in call && call.bias ? "bias" : null;
}

/** Whether the value after a layer reaches the loss only through batch norms: the rest of its
 *  binding (`rest`) and then every binding that reads it carry the constant unchanged until a
 *  batch norm, on every path. A path that reaches the output or the loss's tensor first does
 *  not (the constant would be seen there). */
function reachesNormOnly(net: Network, b: number, rest: readonly (UnaryCall | MergeCall)[]): boolean {
  for (const call of rest) {
    if (call.op === "batchnorm") return true;
    if (!carriesShift(call)) return false;
  }
  const name = net.bindings[b]!.name;
  if (name === outputName(net) || name === net.train?.tensor) return false;
  return net.bindings.every((reader, k) => {
    if (!reads(reader.source, name)) return true;
    const merge = reader.source.kind === "merge" ? [reader.source.call] : [];
    return reachesNormOnly(net, k, [...merge, ...reader.calls]);
  });
}

function reads(source: Network["bindings"][number]["source"], name: string): boolean {
  return source.kind === "ref" ? source.name === name : source.call.inputs.includes(name);
}

/** How far from zero an inert gradient may lie: float32 noise relative to the largest gradient
 *  of the same backward pass. A sum that cancels exactly keeps about 2^-24 per term of its
 *  terms' size, and its terms are at most about the largest gradient; 1e-4 of it leaves room
 *  for sums of thousands of terms (in the sweeps' failing seeds both engines' noise stayed
 *  below 4e-5 of it), while a gradient that is really there (the batch norm's beta gradient is
 *  the same sum without the cancellation) is of the order of that largest gradient itself. */
export function inertBound(gradients: Iterable<ArrayLike<number>>, atol: number): number {
  let largest = 0;
  for (const g of gradients) for (let i = 0; i < g.length; i++) largest = Math.max(largest, Math.abs(g[i]!));
  return atol + 1e-4 * largest;
}
