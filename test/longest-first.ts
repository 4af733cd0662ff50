// The order in which `vitest run` hands test files to its two workers: the longest first, so
// that the last files to start are short ones and neither worker idles while the other finishes
// a 30-second file. vitest's own order uses the durations it cached from the last run on this
// machine, or file size when there is none (a fresh CI checkout): by size, generated.test.ts
// (43 lines, 35 s) started last and ran alone for its whole length.
//
// The seconds are what each file took in a full run on the 2-core CI host (the JSON reporter's
// endTime - startTime, rounded); only their order matters. Refresh them after a change that
// moves a file by several seconds: `npx vitest run --reporter=json --outputFile=/tmp/t.json`.
// A file missing from the table (a new one) counts as 1 s.
import { basename } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const seconds: Readonly<Record<string, number>> = {
  "cli.test.ts": 60,
  "gradcheck.test.ts": 45,
  "names.test.ts": 40,
  "package.test.ts": 35,
  "generated.test.ts": 34,
  "mnist.test.ts": 28,
  "diff.test.ts": 27,
  "playground.test.ts": 23,
  "fuzz.test.ts": 23,
  "storage.test.ts": 19,
  "strict.test.ts": 12,
  "second-wave-examples.test.ts": 11,
  "javascript.test.ts": 11,
  "batchnorm.test.ts": 10,
  "cli-javascript.test.ts": 10,
  "watch.test.ts": 8,
  "fit.test.ts": 7,
  "lsp.test.ts": 6,
  "runtimes.test.ts": 5,
  "runtime-checks.test.ts": 5,
  "api.test.ts": 5,
  "optimizer.test.ts": 5,
  "fmt.test.ts": 5,
  "syntax.test.ts": 4,
  "cli-safety.test.ts": 3,
  "bench-harness.test.ts": 3,
  "json-schema.test.ts": 3,
  "playground-parts.test.ts": 2,
  "wasm.test.ts": 2,
  "safetensors.test.ts": 2,
  "textmate.test.ts": 2,
  "plan.test.ts": 2,
  "freeze-init.test.ts": 2,
  "bench-engines.test.ts": 2,
  "conv.test.ts": 2,
  "numerics.test.ts": 2,
  "forward.test.ts": 2,
};

const cost = (spec: TestSpecification): number => seconds[basename(spec.moduleId)] ?? 1;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // ties (the many sub-second files) keep vitest's own order
    const base = await super.sort(files);
    return base.map((spec, i) => ({ spec, i })).sort((a, b) => cost(b.spec) - cost(a.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
