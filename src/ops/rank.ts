// Rank requirements shared by the image ops, the sequence ops and dense. Each reports a located
// CNN3001 naming the rank it found.
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

/** A sequence [length, channels]; reports and returns undefined for any other rank. */
export function requireSequence(shape: Shape, ctx: ShapeContext): readonly [number, number] | undefined {
  const [n, c] = shape;
  if (shape.length === 2 && n !== undefined && c !== undefined) return [n, c];
  ctx.report(wrongRank(ctx.span, ctx.op, "sequence", ctx.inputs[0]!));
  return undefined;
}

/** The ops that slide along a sequence as they slide over an image (the pools). */
export type Spatial = { readonly rank: "image"; readonly dims: readonly [number, number, number] } | { readonly rank: "sequence"; readonly dims: readonly [number, number] };

/** An image or a sequence; reports and returns undefined for any other rank. */
export function requireImageOrSequence(shape: Shape, ctx: ShapeContext): Spatial | undefined {
  const [a, b, c] = shape;
  if (shape.length === 3 && a !== undefined && b !== undefined && c !== undefined) return { rank: "image", dims: [a, b, c] };
  if (shape.length === 2 && a !== undefined && b !== undefined) return { rank: "sequence", dims: [a, b] };
  ctx.report(wrongRank(ctx.span, ctx.op, "image or sequence", ctx.inputs[0]!));
  return undefined;
}
