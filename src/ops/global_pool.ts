// What global_avgpool and global_maxpool share: one value per channel, [h, w, c] -> [c].
import { elementCount } from "../check/sizes.js";
import type { Shape } from "../check/types.js";
import type { ShapeContext } from "./op.js";
import { requireImage } from "./rank.js";

export function inferGlobalPool(input: Shape, ctx: ShapeContext): { shape: Shape; attrs: Record<string, never> } | undefined {
  const image = requireImage(input, ctx);
  return image === undefined ? undefined : { shape: [image[2]], attrs: {} };
}

/** Every input cell is read once. */
export function globalPoolFlops(input: Shape): number {
  return elementCount(input);
}
