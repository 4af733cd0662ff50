// Parser and checker fuzzing: generated and mutated inputs never make analyze() throw or stall,
// every diagnostic points inside the text, and every program that checks cleanly compiles to a
// module esbuild parses (and, for a sample, tsc --strict accepts).
// FUZZ_COUNT sets the number of inputs (default 3000), FUZZ_SEED the seed; see test/fuzz/.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { compileAccepted, runFamily, Tally, type CompileStats } from "./fuzz/campaign.js";
import { families, runsFor } from "./fuzz/families.js";
import { examine } from "./fuzz/oracle.js";
import { compileCap, fuzzCount, fuzzSeed, minTypeChecked, typeCheckEvery } from "./fuzz/settings.js";

const tally = new Tally();
// generous: the default run takes well under a minute, FUZZ_COUNT=100000 far longer
const timeout = Math.max(120_000, fuzzCount * 50);

describe("fuzz: analyze()", () => {
  families.forEach((family, i) => {
    it(`${family.name}: no exception, under 1 s, diagnostics inside the text`, { timeout }, () => {
      runFamily(family, runsFor(family, fuzzCount), fuzzSeed + i, tally, true);
      expect(tally.families.get(family.name)?.inputs).toBe(runsFor(family, fuzzCount));
    });
  });

  it("exercised both outcomes and many diagnostic codes", () => {
    expect(tally.inputs).toBeGreaterThanOrEqual(fuzzCount);
    expect(tally.accepted).toBeGreaterThan(Math.min(50, fuzzCount / 20));
    expect(tally.inputs - tally.accepted).toBeGreaterThan(fuzzCount / 2);
    expect(tally.codes.size).toBeGreaterThan(25);
  });
});

describe("fuzz: accepted programs compile", () => {
  let stats: CompileStats | undefined;

  it("compile() gives a module esbuild parses; a sample type-checks under tsc --strict", { timeout }, async () => {
    stats = await compileAccepted(tally.acceptedSources, compileCap, typeCheckEvery, minTypeChecked);
    const report = stats.failures.map((f) => `${f.problems.join("\n")}\ninput: ${JSON.stringify(f.source)}`);
    expect(report).toEqual([]);
    expect(stats.compiled).toBe(Math.min(compileCap, tally.acceptedSources.length));
    expect(stats.typeChecked).toBeGreaterThanOrEqual(Math.min(minTypeChecked, stats.compiled));
  });
});

describe("regressions found by fuzzing", () => {
  // "did you mean" compared every unknown name with every bound one, each comparison costing
  // length squared: 200 KB of source took 30 s, and 10 MB would have taken hours
  it("many unknown tensor names and long names stay fast", () => {
    const lines = ["model M {", "  input x: [4]"];
    for (let i = 0; i < 4000; i++) lines.push(`  a${i} = x`, `  b${i} = c${i}`);
    const long = Array.from({ length: 50 }, (_, i) => `  ${"a".repeat(2000)}${i} = x`);
    lines.push(...long, `  y = ${"b".repeat(2000)} |> relu`, "}");
    const examined = examine(lines.join("\n"), 10_000);
    expect(examined.problems).toEqual([]);
    expect(examined.analysis?.diagnostics.filter((d) => d.code === "CNN2002")).toHaveLength(4001);
    expect(examined.ms).toBeLessThan(5000);
  });

  it("still suggests the close name for the first unknown names", () => {
    const analysis = analyze("model M {\n  input image: [4]\n  y = imgae |> relu\n}");
    expect(analysis.diagnostics.map((d) => d.help ?? d.notes.map((n) => n.message).join())).toEqual([expect.stringContaining("image")]);
  });
});
