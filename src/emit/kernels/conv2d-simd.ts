// conv2d's forward pass on the wasm target's f32 builds: f32x4 over the filters (the contiguous
// axis of the kernel and the output). A tile of PIXELS horizontally adjacent output pixels x
// VECTORS vectors of 4 filters accumulates in v128 locals while the window is walked once: per
// tap each pixel's input element is splatted once and each weight vector loaded once, feeding
// PIXELS x VECTORS multiply-adds. The last f % 4 filters are a scalar tile (f64 locals, as the
// scalar kernel computes). The input is the bordered copy of a padded conv (conv2d.ts makes it),
// so no tap is tested. Sums are f32, in the order of the taps: results differ from the
// TypeScript target's f64 sums in the last bits.
import type { FusedActivation } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Region, Stmt } from "../../kernel/ir.js";
import { range } from "../code.js";
import { pixelTiles, walk, type Geometry } from "./conv2d.js";
import { laneBlocks, storeLanes } from "./store-simd.js";

/** Output pixels per tile and vectors of 4 filters per tile: 4 x 2 keeps 8 accumulators, 2
 *  weight vectors and the splats in x64's 16 vector registers. */
const PIXELS = 4;
const VECTORS = 2;

const ACC = ["s", "t", "r", "q"];

export function simdForward(g: Geometry, source: Region, k: Region, bias: Region | null, y: Region, act: FusedActivation | undefined, pre: Region | undefined): Stmt[] {
  const step = g.sw * g.c;
  const tile = (pixels: number): Stmt[] =>
    laneBlocks(g.f, VECTORS, (j0, count, lanes) => {
      const acc = range(count);
      const px = range(pixels);
      const name = (q: number, i: number): string => `${ACC[q]}${i}`;
      const init = (i: number): Stmt => b.let(name(0, i), bias === null ? (lanes === 4 ? b.splat(0) : 0) : b.at(bias, b.add(j0, i * lanes), lanes));
      return [
        b.const("kb", b.add(b.base(k), j0)),
        ...acc.flatMap((i) => [init(i), ...px.slice(1).map((q) => b.let(name(q, i), b.ref(name(0, i))))]),
        ...walk(g, (x, kk) => {
          const input = (q: number) => b.load("a", b.add(b.ref("xb"), x, q * step));
          return [
            ...px.map((q) => b.const(`v${q}`, lanes === 4 ? b.splat(input(q)) : input(q))),
            ...acc.map((i) => b.const(`w${i}`, b.load("a", b.add(b.ref("kb"), kk, i * lanes), lanes))),
            ...acc.flatMap((i) => px.map((q) => b.assign(name(q, i), b.mul(b.ref(`v${q}`), b.ref(`w${i}`)), "+="))),
          ];
        }),
        b.const("o", b.add(b.base(y), b.mul(b.ref("p"), g.f), j0)),
        ...acc.flatMap((i) => px.flatMap((q) => storeLanes(act, y, pre, b.add(b.ref("o"), q * g.f + i * lanes), b.ref(name(q, i)), lanes))),
      ];
    });
  return pixelTiles(g, source, Math.min(PIXELS, g.ow), tile);
}
