// One fuzz run: every family through analyze(), then the accepted programs through compile(),
// esbuild and (a sample) tsc. Shared by test/fuzz.test.ts and the long-run script run.ts.
import fc from "fast-check";
import { compileAndParse } from "./compiled.js";
import type { Family } from "./families.js";
import { examine, type Examined } from "./oracle.js";
import { typeCheckModules } from "./typecheck.js";

export interface Failure {
  readonly source: string;
  readonly problems: readonly string[];
}

/** What a run saw, for the assertions that the run meant something and for RELIABILITY.md. */
export class Tally {
  inputs = 0;
  accepted = 0;
  slowestMs = 0;
  slowestLength = 0;
  totalMs = 0;
  readonly codes = new Map<string, number>();
  readonly families = new Map<string, { inputs: number; accepted: number }>();
  /** accepted sources, each once, in the order found */
  readonly acceptedSources: string[] = [];
  private readonly seen = new Set<string>();

  record(family: string, source: string, examined: Examined): void {
    const row = this.families.get(family) ?? { inputs: 0, accepted: 0 };
    this.families.set(family, row);
    this.inputs++;
    row.inputs++;
    this.totalMs += examined.ms;
    if (examined.ms > this.slowestMs) [this.slowestMs, this.slowestLength] = [examined.ms, source.length];
    for (const d of examined.analysis?.diagnostics ?? []) this.codes.set(d.code, (this.codes.get(d.code) ?? 0) + 1);
    if (!examined.analysis?.checked) return;
    this.accepted++;
    row.accepted++;
    if (!this.seen.has(source)) {
      this.seen.add(source);
      this.acceptedSources.push(source);
    }
  }
}

/**
 * Runs `runs` inputs of one family. With `failFast`, the first failing input is shrunk and
 * thrown (for vitest); without, every failure is collected and the run goes on (for long runs).
 */
export function runFamily(family: Family, runs: number, seed: number, tally: Tally, failFast: boolean): Failure[] {
  const failures: Failure[] = [];
  const property = fc.property(family.inputs, (source) => {
    const examined = examine(source);
    tally.record(family.name, source, examined);
    if (examined.problems.length === 0) return;
    if (failFast) throw new Error(`${examined.problems.join("\n")}\ninput: ${JSON.stringify(source)}`);
    failures.push({ source, problems: examined.problems });
  });
  fc.assert(property, { numRuns: runs, seed });
  return failures;
}

export interface CompileStats {
  compiled: number;
  typeChecked: number;
  readonly failures: Failure[];
}

/**
 * Compiles up to `cap` accepted sources and parses each module with esbuild; one in `every`
 * (at least `minChecked`) is compiled formatted, as the CLI does, and type-checked with tsc.
 */
export async function compileAccepted(sources: readonly string[], cap: number, every: number, minChecked: number): Promise<CompileStats> {
  const chosen = sources.slice(0, cap);
  const step = Math.max(1, Math.min(every, Math.floor(chosen.length / minChecked)));
  const stats: CompileStats = { compiled: 0, typeChecked: 0, failures: [] };
  const toCheck: { source: string; code: string }[] = [];
  for (const [i, source] of chosen.entries()) {
    const sampled = i % step === 0;
    // vary the options the emitter branches on
    const options = { format: sampled, precision: i % 3 === 1 ? ("f64" as const) : ("f32" as const), inputGradient: i % 4 === 2 };
    const result = await compileAndParse(source, options);
    stats.compiled++;
    if (result.problems.length > 0) stats.failures.push({ source, problems: result.problems });
    else if (sampled && result.code) toCheck.push({ source, code: result.code });
  }
  // in batches: one program per batch keeps tsc's memory bounded on long runs
  for (let start = 0; start < toCheck.length; start += typeCheckBatch) {
    const batch = toCheck.slice(start, start + typeCheckBatch);
    typeCheckModules(batch.map((m) => m.code)).forEach((error, i) => {
      if (error !== "") stats.failures.push({ source: batch[i]!.source, problems: [`tsc --strict: ${error}`] });
    });
    stats.typeChecked += batch.length;
  }
  return stats;
}

const typeCheckBatch = 20;
