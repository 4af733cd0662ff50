// Model-wide limits: number of layers and total parameter size.
import { tooManyLayers, tooManyParamBytes } from "../diagnostics/shapes.js";
import type { ModelDecl } from "../syntax/ast.js";
import { elementCount } from "./sizes.js";
import type { ModelState } from "./state.js";

/** f64: the largest element type the generated module may use. */
const bytesPerParam = 8;

export function checkModelLimits(model: ModelDecl, state: ModelState): void {
  const { maxLayers, maxParamBytes } = state.limits;
  const firstOver = state.slots[maxLayers];
  if (firstOver !== undefined) state.report(tooManyLayers(model.name.span, model.name.name, state.slots.length, maxLayers, firstOver.span));
  let bytes = 0;
  for (const layer of state.layers) {
    bytes += layer.params.reduce((sum, param) => sum + elementCount(param.shape) * bytesPerParam, 0);
    if (bytes > maxParamBytes) {
      // reported once, at the layer that crosses the limit
      state.report(tooManyParamBytes(layer.span, model.name.name, bytes, maxParamBytes));
      return;
    }
  }
}
