// Written shapes: the input declaration and shape assertions.
import { assertionFailed, badDimension, dimensionTooLarge, rankLimit, tooManyElements } from "../diagnostics/shapes.js";
import type { ShapeLit } from "../syntax/ast.js";
import { elementCount, sameShape } from "./sizes.js";
import type { ModelState } from "./state.js";
import type { Shape, TensorId } from "./types.js";

/** The dims as numbers, or undefined after reporting each bad one. */
export function readShape(literal: ShapeLit, state: ModelState): Shape | undefined {
  const dims = literal.dims.map((dim) => {
    if (!dim.isInt || !(dim.value >= 1)) state.report(badDimension(dim.span, dim.text));
    // checked by value, not text, so `99999999999999999999` (1e20 as a double) is caught too
    else if (!(dim.value <= state.limits.maxDim)) state.report(dimensionTooLarge(dim.span, undefined, dim.text, state.limits.maxDim));
    else return dim.value;
    return undefined;
  });
  return dims.every((dim) => dim !== undefined) ? dims : undefined;
}

/** The input's shape, within the rank and size limits; undefined after reporting. */
export function readInputShape(literal: ShapeLit, name: string, state: ModelState): Shape | undefined {
  const { maxRank, maxElements } = state.limits;
  if (literal.dims.length < 1 || literal.dims.length > maxRank) {
    state.report(rankLimit(literal.span, literal.dims.length, maxRank));
    return undefined;
  }
  const shape = readShape(literal, state);
  if (shape === undefined) return undefined;
  const elements = elementCount(shape);
  if (elements <= maxElements) return shape;
  state.report(tooManyElements(literal.span, { input: name }, elements, maxElements));
  return undefined;
}

/** `name: [dims] = ...`: the inferred shape must be the annotated one. */
export function checkAssertion(literal: ShapeLit, name: string, id: TensorId, state: ModelState): void {
  const asserted = readShape(literal, state);
  const inferred = state.tensor(id).shape;
  if (asserted === undefined || inferred === null || sameShape(asserted, inferred)) return;
  state.report(assertionFailed(literal.span, name, asserted, state.origin(id)));
}
