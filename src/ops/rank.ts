// Rank requirements shared by the image ops and dense.
import { wrongRank } from "../diagnostics/shapes.js";
import type { Shape } from "../check/types.js";
import type { ShapeContext } from "./op.js";

/** An image [h, w, c]; reports and returns undefined for any other rank. */
export function requireImage(shape: Shape, ctx: ShapeContext): readonly [number, number, number] | undefined {
  const [h, w, c] = shape;
  if (shape.length === 3 && h !== undefined && w !== undefined && c !== undefined) return [h, w, c];
  ctx.report(wrongRank(ctx.span, ctx.op, "image", ctx.inputs[0]!));
  return undefined;
}

/** A vector [n]; reports and returns undefined for any other rank. */
export function requireVector(shape: Shape, ctx: ShapeContext): number | undefined {
  const [n] = shape;
  if (shape.length === 1 && n !== undefined) return n;
  ctx.report(wrongRank(ctx.span, ctx.op, "vector", ctx.inputs[0]!));
  return undefined;
}
