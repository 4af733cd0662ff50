// The order in which `vitest run` hands test files to its two workers: the longest first, so
// that the last files to start are short ones and neither worker idles while the other finishes
// a 30-second file. vitest's own order uses the durations it cached from the last run on this
// machine, or file size when there is none (a fresh CI checkout): by size, generated.test.ts
// (43 lines, 35 s) started last and ran alone for its whole length.
//
// The seconds are what each file took in a full run on the shared 2-core host (the JSON
// reporter's endTime - startTime, rounded; 2 December 2026, at a load average of 8-10, so about
// three times an idle host's); only their order matters. Refresh them after a change that
// moves a file by several seconds: `npx vitest run --reporter=json --outputFile=/tmp/t.json`.
// A file missing from the table (a new one) counts as 1 s.
import { basename } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const seconds: Readonly<Record<string, number>> = {
  "gradcheck.test.ts": 159,
  "generated.test.ts": 141,
  "names.test.ts": 131,
  "diff.test.ts": 109,
  "package.test.ts": 100,
  "mnist.test.ts": 74,
  "fuzz.test.ts": 73,
  "cli.test.ts": 69,
  "strict.test.ts": 43,
  "playground.test.ts": 43,
  "storage.test.ts": 43,
  "second-wave-examples.test.ts": 39,
  "cli-javascript.test.ts": 29,
  "batchnorm.test.ts": 28,
  "javascript.test.ts": 25,
  "watch.test.ts": 20,
  "fmt.test.ts": 16,
  "syntax.test.ts": 13,
  "lsp.test.ts": 11,
  "playground-parts.test.ts": 11,
  "runtimes.test.ts": 10,
  "freeze-init.test.ts": 9,
  "api.test.ts": 8,
  "bench-harness.test.ts": 7,
  "optimizer.test.ts": 6,
  "plan.test.ts": 6,
  "textmate.test.ts": 6,
  "fit.test.ts": 5,
  "conv.test.ts": 5,
  "wasm.test.ts": 5,
  "runtime-checks.test.ts": 5,
  "bench-engines.test.ts": 4,
  "erf.test.ts": 4,
  "forward.test.ts": 4,
  "fixtures.test.ts": 3,
  "check-fuzz.test.ts": 2,
  "json-schema.test.ts": 2,
  "cli-safety.test.ts": 2,
  "kernel-ir.test.ts": 2,
  "safetensors.test.ts": 2,
  "check-window.test.ts": 2,
};

const cost = (spec: TestSpecification): number => seconds[basename(spec.moduleId)] ?? 1;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // ties (the many sub-second files) keep vitest's own order
    const base = await super.sort(files);
    return base.map((spec, i) => ({ spec, i })).sort((a, b) => cost(b.spec) - cost(a.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
