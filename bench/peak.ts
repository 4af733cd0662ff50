// The scalar-JavaScript limit of this machine: a register-blocked multiply-add loop, the shape of
// a matrix-multiply micro-kernel, over a Float32Array small enough to stay in L1.
import { runForBudget } from "./timing.js";

const length = 1024;
const data = Float32Array.from({ length }, (_, i) => ((i * 7919) % 1000) / 1000);
// Each element read feeds 8 multiply-adds into 8 independent accumulators, so the loop is bound by
// floating-point throughput, not by loads or by the latency of one accumulator chain.
const flopsPerElement = 16;

function kernel(x: Float32Array, w0: number, w1: number, w2: number, w3: number, w4: number, w5: number, w6: number, w7: number): number {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    a0 += v * w0;
    a1 += v * w1;
    a2 += v * w2;
    a3 += v * w3;
    a4 += v * w4;
    a5 += v * w5;
    a6 += v * w6;
    a7 += v * w7;
  }
  return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}

/** GFLOP/s of the kernel over `budgetSeconds`, per wall-clock and per CPU second; the sum is kept so the work cannot be dropped. */
export function measurePeak(budgetSeconds: number): { gflops: number; cpuGflops: number; checksum: number } {
  let checksum = 0;
  const passes = 256;
  const timed = runForBudget(() => {
    for (let p = 0; p < passes; p++) checksum += kernel(data, 0.5, 0.25, 0.125, 0.75, 0.3, 0.6, 0.9, 0.1);
  }, budgetSeconds);
  const flops = timed.calls * passes * length * flopsPerElement;
  return { gflops: flops / timed.seconds / 1e9, cpuGflops: flops / timed.cpuSeconds / 1e9, checksum };
}
