// The long fuzz run, outside vitest so it can go on past failures and print what it saw:
//   FUZZ_COUNT=100000 npx tsx test/fuzz/run.ts > fuzz-report.json
// Progress goes to stderr; the JSON report (counts, timings, codes, failures) to stdout.
import { compileAccepted, runFamily, Tally, type Failure } from "./campaign.js";
import { families, runsFor } from "./families.js";
import { compileCap, fuzzCount, fuzzSeed, minTypeChecked, typeCheckEvery } from "./settings.js";

async function main(): Promise<void> {
  const started = performance.now();
  const tally = new Tally();
  const failures: Failure[] = [];
  for (const [i, family] of families.entries()) {
    const runs = runsFor(family, fuzzCount);
    process.stderr.write(`${family.name}: ${runs} inputs...\n`);
    failures.push(...runFamily(family, runs, fuzzSeed + i, tally, false));
  }
  const analyzeSeconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `analyzed ${tally.inputs} inputs in ${analyzeSeconds.toFixed(0)} s; compiling up to ${compileCap} of ${tally.acceptedSources.length} accepted...\n`,
  );
  const compiled = await compileAccepted(tally.acceptedSources, compileCap, typeCheckEvery, minTypeChecked);
  const report = {
    count: fuzzCount,
    seed: fuzzSeed,
    inputs: tally.inputs,
    accepted: tally.accepted,
    distinctAccepted: tally.acceptedSources.length,
    families: Object.fromEntries(tally.families),
    meanAnalyzeMs: tally.totalMs / Math.max(1, tally.inputs),
    slowestAnalyzeMs: tally.slowestMs,
    slowestInputLength: tally.slowestLength,
    analyzeSeconds,
    compiled: compiled.compiled,
    typeChecked: compiled.typeChecked,
    totalSeconds: (performance.now() - started) / 1000,
    codes: Object.fromEntries([...tally.codes].sort(([a], [b]) => a.localeCompare(b))),
    analyzeFailures: failures,
    compileFailures: compiled.failures,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + "\n");
}

await main();
