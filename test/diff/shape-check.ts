// Shapes three ways: this folder's formulas, tfjs' inferred output shapes and cnnc's checker.
// Every layer output, every named tensor and every parameter must agree.
import type { CheckedModel } from "../../src/check/types.js";
import type { Network } from "./network.js";
import { layersOf } from "./network.js";
import { expectedParams } from "./names.js";
import { networkShapes, sameDims } from "./shapes.js";
import type { TfjsNetwork } from "./tfjs-model.js";

/** One message per disagreement; empty when all three sides agree. */
export function shapeMismatches(net: Network, checked: CheckedModel, t: TfjsNetwork): string[] {
  const out: string[] = [];
  const mine = networkShapes(net);
  const calls = layersOf(net);
  if (checked.layers.length !== calls.length) out.push(`cnnc has ${checked.layers.length} layers, the network ${calls.length}`);
  calls.forEach((call, i) => {
    const layer = checked.layers[i];
    const cnnc = layer ? checked.tensors[layer.output]?.shape : undefined;
    const tfjs = t.layerShapes[i];
    const formula = mine.layers[i];
    if (layer?.op !== call.op) out.push(`layer ${i}: cnnc op ${layer?.op}, expected ${call.op}`);
    if (!cnnc || !tfjs || !formula || !sameDims(cnnc, tfjs) || !sameDims(formula, tfjs)) {
      out.push(`layer ${i} (${call.op}): cnnc [${cnnc}], tfjs [${tfjs}], formula [${formula}]`);
    }
  });
  for (const [name, tfjs] of t.namedShapes) {
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
