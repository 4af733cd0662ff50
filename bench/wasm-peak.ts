// The WebAssembly SIMD limit of this machine: the micro-kernel of a matrix product, a tile of
// rows x (4 * vectors) f32 accumulators held in v128 locals, fed from panels that stay in L1.
// Each step of k loads `vectors` f32x4 of B and splats `rows` scalars of A, then does one f32x4
// multiply and one add per accumulator: rows * vectors * 8 FLOPs for rows + vectors loads.
// Built with binaryen's builder (validated by it, not optimised: the loop is already what we
// mean, and V8 allocates the registers), compiled by V8 like any module the wasm target emits.
import type Binaryen from "binaryen";
import { runForBudget } from "./timing.js";

export interface TileShape {
  readonly rows: number;
  readonly vectors: number;
  /** steps of k per loop iteration (a divisor of the depth) */
  readonly unroll: number;
}

/**
 * The tiles every reading tries, the best kept: 12, 10 or 8 f32x4 accumulators, k unrolled twice
 * or not (the leaders of `npx tsx bench/wasm-peak-tiles.ts` among 24 tiles, bench/NOTES.md). Which wins depends on the host's core (and, on a shared host, on its
 * neighbours), and the peak is the best the machine can do, so each reading picks.
 */
export const candidateTiles: readonly TileShape[] = [
  { rows: 6, vectors: 2, unroll: 1 },
  { rows: 6, vectors: 2, unroll: 2 },
  { rows: 5, vectors: 2, unroll: 1 },
  { rows: 4, vectors: 2, unroll: 1 },
];

/** Length of the shared dimension: A's panel is k x rows floats, B's k x (4 * vectors), both in L1. */
const depth = 256;
/** Passes over the panels per call: a call is a few tens of microseconds. */
const passes = 16;

export interface WasmPeak {
  /** one call of the kernel over `passes` passes: the sum of every accumulator's lanes */
  call(passes: number): number;
  /** the panels in linear memory: A (k-major, `rows` floats per k), then B (`4 * vectors` per k) */
  readonly panels: Float32Array;
  readonly depth: number;
  /** GFLOP/s of the kernel over `budgetSeconds`, per wall-clock and per CPU second */
  measure(budgetSeconds: number): { gflops: number; cpuGflops: number; checksum: number };
  readonly tile: TileShape;
  /** the module's size in bytes */
  readonly bytes: number;
}

/** One round's reading: the fastest candidate's GFLOP/s on each basis, and which tile gave the wall-clock one. */
export interface PeakReading {
  readonly gflops: number;
  readonly cpuGflops: number;
  readonly tile: TileShape;
}

/**
 * Every candidate built once; each reading runs them in turn for half the budget each and keeps
 * the best, so a tile that one core or one moment of the host favours cannot hide the peak.
 */
export async function prepareWasmPeaks(tiles: readonly TileShape[] = candidateTiles): Promise<(budgetSeconds: number) => PeakReading> {
  const kernels = await Promise.all(tiles.map((tile) => prepareWasmPeak(tile)));
  if (kernels.length === 0) throw new Error("wasm peak: no candidate tile");
  return (budgetSeconds) => {
    let best: PeakReading = { gflops: 0, cpuGflops: 0, tile: kernels[0]!.tile };
    for (const kernel of kernels) {
      const r = kernel.measure(budgetSeconds / 2);
      best = { gflops: Math.max(best.gflops, r.gflops), cpuGflops: Math.max(best.cpuGflops, r.cpuGflops), tile: r.gflops > best.gflops ? kernel.tile : best.tile };
    }
    return best;
  };
}

/** Builds and instantiates the kernel; binaryen is loaded only here, when the bench asks for it. */
export async function prepareWasmPeak(tile: TileShape): Promise<WasmPeak> {
  const { default: binaryen } = await import("binaryen");
  const module = new binaryen.Module();
  try {
    module.setFeatures(binaryen.Features.MVP | binaryen.Features.SIMD128);
    buildKernel(module, binaryen, tile);
    if (!module.validate()) throw new Error("wasm peak: binaryen rejected the kernel it built");
    const binary = module.emitBinary();
    const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(binary)));
    const exports = instance.exports as { memory: WebAssembly.Memory; tile: (passes: number) => number };
    const f32 = new Float32Array(exports.memory.buffer);
    const width = 4 * tile.vectors;
    // Positive values of one order of magnitude: the sums grow but never overflow or go subnormal.
    for (let i = 0; i < depth * (tile.rows + width); i++) f32[i] = 0.5 + ((i * 7919) % 1000) / 4000;
    const flopsPerCall = passes * depth * tile.rows * width * 2;
    return {
      tile,
      bytes: binary.length,
      call: (n) => exports.tile(n),
      panels: f32.subarray(0, depth * (tile.rows + width)),
      depth,
      measure(budgetSeconds) {
        let checksum = 0;
        const timed = runForBudget(() => {
          checksum += exports.tile(passes);
        }, budgetSeconds);
        const flops = timed.calls * flopsPerCall;
        return { gflops: flops / timed.seconds / 1e9, cpuGflops: flops / timed.cpuSeconds / 1e9, checksum };
      },
    };
  } finally {
    module.dispose();
  }
}

type Module = Binaryen.Module;
type ExpressionRef = Binaryen.ExpressionRef;

// Memory: A's panel (k-major, `rows` floats per k) from byte 0, then B's (`4 * vectors` per k).
function buildKernel(m: Module, binaryen: typeof Binaryen, tile: TileShape): void {
  const { rows, vectors } = tile;
  const { i32, v128, f32 } = binaryen;
  const bOffset = depth * rows * 4;
  // the memory first: binaryen's loads refer to it as they are built
  m.setMemory(1, 1, "memory");
  // locals: 0 passes (param), 1 pass counter, 2 k's byte offset into A, 3 into B, then the
  // accumulators, the B vectors and the splat of A
  const [passesParam, pass, ka, kb] = [0, 1, 2, 3];
  const acc = (r: number, j: number) => 4 + r * vectors + j;
  const bv = (j: number) => 4 + rows * vectors + j;
  const av = 4 + rows * vectors + vectors;
  const localTypes = [i32, i32, i32, ...Array.from({ length: rows * vectors + vectors + 1 }, () => v128)];

  // `unroll` steps of k per loop iteration, their loads at constant offsets from two pointers
  const step: ExpressionRef[] = [];
  for (let u = 0; u < tile.unroll; u++) {
    const [aAt, bAt] = [u * 4 * rows, bOffset + u * 16 * vectors];
    for (let j = 0; j < vectors; j++) step.push(m.local.set(bv(j), m.v128.load(bAt + 16 * j, 16, m.local.get(kb, i32))));
    for (let r = 0; r < rows; r++) {
      step.push(m.local.set(av, m.v128.load32_splat(aAt + 4 * r, 4, m.local.get(ka, i32))));
      for (let j = 0; j < vectors; j++) {
        step.push(m.local.set(acc(r, j), m.f32x4.add(m.local.get(acc(r, j), v128), m.f32x4.mul(m.local.get(av, v128), m.local.get(bv(j), v128)))));
      }
    }
  }
  step.push(m.local.set(ka, m.i32.add(m.local.get(ka, i32), m.i32.const(tile.unroll * 4 * rows))));
  step.push(m.local.set(kb, m.i32.add(m.local.get(kb, i32), m.i32.const(tile.unroll * 16 * vectors))));
  step.push(m.br("k", m.i32.lt_u(m.local.get(ka, i32), m.i32.const(depth * rows * 4))));

  const passBody = m.block(null, [m.local.set(ka, m.i32.const(0)), m.local.set(kb, m.i32.const(0)), m.loop("k", m.block(null, step))]);
  const loopPasses = m.loop(
    "pass",
    m.block(null, [
      passBody,
      m.local.set(pass, m.i32.add(m.local.get(pass, i32), m.i32.const(1))),
      m.br("pass", m.i32.lt_u(m.local.get(pass, i32), m.local.get(passesParam, i32))),
    ]),
  );
  // Every accumulator reaches the result, so no lane of work can be dropped; the vector sum is
  // kept in the splat local and its four lanes added.
  let total = m.local.get(acc(0, 0), v128);
  for (let r = 0; r < rows; r++) for (let j = 0; j < vectors; j++) if (r + j > 0) total = m.f32x4.add(total, m.local.get(acc(r, j), v128));
  const lane = (i: number) => m.f32x4.extract_lane(m.local.get(av, v128), i);
  const sum = m.f32.add(m.f32.add(lane(0), lane(1)), m.f32.add(lane(2), lane(3)));
  m.addFunction("tile", binaryen.createType([i32]), f32, localTypes, m.block(null, [loopPasses, m.local.set(av, total), m.return(sum)], f32));
  m.addFunctionExport("tile", "tile");
}
