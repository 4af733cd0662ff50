// What global_avgpool and global_maxpool share: one value per channel, [h, w, c] -> [c], and
// over a sequence's length [n, c] -> [c].
import { elementCount } from "../check/sizes.js";
import type { Shape } from "../check/types.js";
import type { ShapeContext } from "./op.js";
import { requireImageOrSequence } from "./rank.js";

export function inferGlobalPool(input: Shape, ctx: ShapeContext): { shape: Shape; attrs: Record<string, never> } | undefined {
  const spatial = requireImageOrSequence(input, ctx);
  return spatial === undefined ? undefined : { shape: [spatial.dims[spatial.dims.length - 1]!], attrs: {} };
}

/** Every input cell is read once. */
export function globalPoolFlops(input: Shape): number {
  return elementCount(input);
}
