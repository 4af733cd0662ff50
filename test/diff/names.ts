// Parameter names as LANGUAGE.md defines them, computed here independently of cnnc: the `as`
// name, else the binding's name when it holds exactly one layer with parameters, else
// `binding.op<k>` counting that op within the binding.
import type { Network, UnaryCall, MergeCall } from "./network.js";
import { hasParams, layersOf, liveLayers } from "./network.js";
import { networkShapes } from "./shapes.js";

export interface ExpectedParam {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The name of each layer with parameters, by its index in layersOf(net). */
export function paramLayerNames(net: Network): Map<number, string> {
  const names = new Map<number, string>();
  let index = 0;
  for (const b of net.bindings) {
    const calls: (UnaryCall | MergeCall)[] = b.source.kind === "merge" ? [b.source.call, ...b.calls] : [...b.calls];
    const withParams = calls.filter(hasParams).length;
    const counts = new Map<string, number>();
    for (const call of calls) {
      if (hasParams(call)) {
        const k = (counts.get(call.op) ?? 0) + 1;
        counts.set(call.op, k);
        names.set(index, call.as ?? (withParams === 1 ? b.name : `${b.name}.${call.op}${k}`));
      }
      index++;
    }
  }
  return names;
}

/** Every parameter cnnc keeps (dead layers are left out), in declaration order (kernel, then
 *  bias), with its Keras-layout shape. */
export function expectedParams(net: Network): ExpectedParam[] {
  const names = paramLayerNames(net);
  const inputs = networkShapes(net).layerInputs;
  const live = liveLayers(net);
  const out: ExpectedParam[] = [];
  layersOf(net).forEach((call, i) => {
    const name = names.get(i);
    if (!live.has(i)) return;
    const input = inputs[i]?.[0];
    if (name === undefined || !input) return;
    if (call.op === "conv2d") {
      out.push({ name: `${name}.kernel`, shape: [call.kernel[0], call.kernel[1], input[2]! / (call.groups ?? 1), call.filters] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [call.filters] });
    } else if (call.op === "depthwise_conv2d") {
      out.push({ name: `${name}.kernel`, shape: [call.kernel[0], call.kernel[1], input[2]!, call.depthMultiplier] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [input[2]! * call.depthMultiplier] });
    } else if (call.op === "separable_conv2d") {
      const cm = input[2]! * call.depthMultiplier;
      out.push({ name: `${name}.depthwise_kernel`, shape: [call.kernel[0], call.kernel[1], input[2]!, call.depthMultiplier] });
      out.push({ name: `${name}.pointwise_kernel`, shape: [1, 1, cm, call.filters] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [call.filters] });
    } else if (call.op === "conv2d_transpose") {
      out.push({ name: `${name}.kernel`, shape: [call.kernel[0], call.kernel[1], call.filters, input[2]!] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [call.filters] });
    } else if (call.op === "conv1d") {
      out.push({ name: `${name}.kernel`, shape: [call.kernel, input[1]! / call.groups, call.filters] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [call.filters] });
    } else if (call.op === "dense") {
      out.push({ name: `${name}.kernel`, shape: [input[0]!, call.units] });
      if (call.bias) out.push({ name: `${name}.bias`, shape: [call.units] });
    } else if (call.op === "batchnorm") {
      const c = [input[input.length - 1]!];
      if (call.scale) out.push({ name: `${name}.gamma`, shape: c });
      if (call.center) out.push({ name: `${name}.beta`, shape: c });
      out.push({ name: `${name}.moving_mean`, shape: c }, { name: `${name}.moving_variance`, shape: c });
    }
  });
  return out;
}
