// `npx tsx bench/wasm-peak-tiles.ts [rounds]`: the wasm SIMD peak kernel over a wider set of tiles
// than the run tries, interleaved round by round, to choose bench/wasm-peak.ts's candidates on a
// quiet host. Prints a Markdown table of GFLOP/s (median and best per CPU second) per tile.
import { markdownTable, formatNumber } from "./format.js";
import { median } from "./stats.js";
import { prepareWasmPeak, type TileShape } from "./wasm-peak.js";

const shapes: [number, number][] = [[2, 4], [3, 4], [4, 2], [4, 3], [5, 2], [6, 2], [8, 1], [8, 2]];
const tiles: TileShape[] = shapes.flatMap(([rows, vectors]) => [1, 2, 4].map((unroll) => ({ rows, vectors, unroll })));
const rounds = Number(process.argv[2] ?? 9);
const kernels = await Promise.all(tiles.map((tile) => prepareWasmPeak(tile)));
const readings = kernels.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) kernels.forEach((kernel, i) => readings[i]!.push(kernel.measure(0.2).cpuGflops));
const rows = kernels.map((kernel, i) => {
  const { rows: r, vectors, unroll } = kernel.tile;
  const values = readings[i] ?? [];
  return [`${r}x${4 * vectors}`, String(unroll), String(r * vectors), formatNumber(median(values)), formatNumber(Math.max(...values))];
});
console.log(markdownTable(["tile", "k unrolled", "v128 accumulators", "median GFLOP/s (CPU)", "best"], rows));
