// Shapes three ways: this folder's formulas, tfjs' inferred output shapes and cnnc's checker.
// Every layer output, every named tensor and every parameter must agree.
import type { CheckedModel } from "../../src/check/types.js";
import type { Network } from "./network.js";
import { layersOf, liveBindingNames, liveLayers } from "./network.js";
import { expectedParams } from "./names.js";
import { networkShapes, sameDims } from "./shapes.js";
import type { TfjsNetwork } from "./tfjs-model.js";

/** One message per disagreement; empty when all three sides agree. */
export function shapeMismatches(net: Network, checked: CheckedModel, t: TfjsNetwork): string[] {
  const out: string[] = [];
  const mine = networkShapes(net);
  // cnnc leaves out the layers that reach neither the output nor the loss
  const live = liveLayers(net);
  const calls = layersOf(net);
  const kept = calls.map((_call, i) => i).filter((i) => live.has(i));
  if (checked.layers.length !== kept.length) out.push(`cnnc has ${checked.layers.length} layers, the network ${kept.length} live ones`);
  kept.forEach((i, j) => {
    const call = calls[i]!;
    const layer = checked.layers[j];
    const cnnc = layer ? checked.tensors[layer.output]?.shape : undefined;
    const tfjs = t.layerShapes[i];
    const formula = mine.layers[i];
    // `swish` is a second spelling of `silu`: the checked layer is the op's own
    const op = call.op === "swish" ? "silu" : call.op;
    if (layer?.op !== op) out.push(`layer ${i}: cnnc op ${layer?.op}, expected ${op}`);
    if (!cnnc || !tfjs || !formula || !sameDims(cnnc, tfjs) || !sameDims(formula, tfjs)) {
      out.push(`layer ${i} (${call.op}): cnnc [${cnnc}], tfjs [${tfjs}], formula [${formula}]`);
    }
  });
  const liveNames = liveBindingNames(net);
  for (const [name, tfjs] of t.namedShapes) {
    if (!liveNames.has(name)) continue;
    const cnnc = checked.tensors.filter((tensor) => tensor.name === name);
    if (cnnc.length === 0) out.push(`cnnc has no tensor named ${name}`);
    for (const tensor of cnnc) if (!sameDims(tensor.shape, tfjs)) out.push(`tensor ${name}: cnnc [${tensor.shape}], tfjs [${tfjs}]`);
  }
  const want = expectedParams(net);
  const got = checked.params.map((p) => `${p.name}[${p.shape}]`).join(" ");
  const expected = want.map((p) => `${p.name}[${p.shape}]`).join(" ");
  if (got !== expected) out.push(`parameters: cnnc ${got}; expected ${expected}`);
  return out;
}
