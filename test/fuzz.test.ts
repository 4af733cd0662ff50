// Parser and checker fuzzing: generated and mutated inputs never make analyze() throw or stall,
// every diagnostic points inside the text, and every program that checks cleanly compiles to a
// module esbuild parses (and, for a sample, tsc --strict accepts).
// FUZZ_COUNT sets the number of inputs (default 3000), FUZZ_SEED the seed; see test/fuzz/.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { analyze } from "../src/analyze.js";
import { compile } from "../src/index.js";
import { compileAccepted, runFamily, Tally } from "./fuzz/campaign.js";
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
    // a small FUZZ_COUNT (a replay) cannot be expected to reach as many codes
    expect(tally.codes.size).toBeGreaterThan(fuzzCount >= 1000 ? 25 : 5);
  });
});

describe("fuzz: accepted programs compile", () => {
  // uses the programs the analyze() tests above accepted
  it("compile() gives a module esbuild parses; a sample type-checks under tsc --strict", { timeout }, async () => {
    const stats = await compileAccepted(tally.acceptedSources, compileCap, typeCheckEvery, minTypeChecked);
    const report = stats.failures.map((f) => `${f.problems.join("\n")}\ninput: ${JSON.stringify(f.source)}`);
    expect(report).toEqual([]);
    expect(stats.compiled).toBe(Math.min(compileCap, tally.acceptedSources.length));
    expect(stats.typeChecked).toBeGreaterThanOrEqual(Math.min(minTypeChecked, stats.compiled));
  });
});

describe("hostile inputs just under the source limit", () => {
  // 8 MB of `@ ` took 12 s and 2.7 GB, and aborted node with a 1 GB heap. In a child process
  // whose heap may not pass 256 MB (32 times the input; more kills it and fails the test), each
  // must finish in under 1 s of CPU time, which a loaded machine inflates far less than wall time.
  it("each takes under 1 s of CPU and a bounded heap", { timeout: 120_000 }, () => {
    const script = fileURLToPath(new URL("./fuzz/huge.ts", import.meta.url));
    const output = execFileSync(process.execPath, ["--max-old-space-size=256", "--expose-gc", "--import", "tsx", script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("..", import.meta.url)),
    });
    const results = JSON.parse(output) as Record<string, { chars: number; cpuMs: number; heapMb: number; diagnostics: number }>;
    expect(Object.keys(results)).toHaveLength(8);
    for (const [name, r] of Object.entries(results)) {
      expect(r.chars, name).toBeGreaterThan(7_900_000);
      expect(r.cpuMs, name).toBeLessThan(1000);
      // what the analysis still holds at its end, beyond the input
      expect(r.heapMb, name).toBeLessThan(64);
      expect(r.diagnostics, name).toBeLessThanOrEqual(101);
    }
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
    // 4,001 unknown names: the first 100 are shown, the rest counted in one line
    const diagnostics = examined.analysis?.diagnostics ?? [];
    expect(diagnostics.filter((d) => d.code === "CNN2002")).toHaveLength(100);
    expect(diagnostics.at(-1)?.message).toBe("and 3,901 more diagnostics, not shown (only the first 100 are)");
    expect(examined.ms).toBeLessThan(5000);
  });

  // `static readonly parameters = [] as const` is `readonly []`, so its elements are `never`
  it("a model without parameters type-checks under tsc --strict", async () => {
    const stats = await compileAccepted(["model Net {\n  input x: [3]\n  y = x |> relu\n}\n"], 1, 1, 1);
    expect(stats.typeChecked).toBe(1);
    expect(stats.failures.map((f) => f.problems.join("\n"))).toEqual([]);
  });

  it("still suggests the close name for the first unknown names", () => {
    const analysis = analyze("model M {\n  input image: [4]\n  y = imgae |> relu\n}");
    expect(analysis.diagnostics.map((d) => d.help ?? d.notes.map((n) => n.message).join())).toEqual([expect.stringContaining("image")]);
  });
});

describe("dimensions of 2^53 and beyond", () => {
  const huge = ["9007199254740992", "9007199254740993", "18446744073709551616", "1".padEnd(64, "0"), "1".padEnd(309, "0"), "1e16", "1e400"];
  // every place a size is written; N stands for the number
  const sites = [
    "input x: [N]\n  y = x |> relu",
    "input x: [4, N, 1]\n  y = x |> relu",
    "input x: [4]\n  y: [N] = x |> relu",
    "input x: [4, 4, 1]\n  y = x |> conv2d(N, kernel: 1)",
    "input x: [4, 4, 1]\n  y = x |> conv2d(1, kernel: N)",
    "input x: [4, 4, 1]\n  y = x |> conv2d(1, kernel: [1, N])",
    "input x: [4, 4, 1]\n  y = x |> conv2d(1, kernel: 1, stride: N)",
    "input x: [4, 4, 1]\n  y = x |> conv2d(1, kernel: 1, dilation: N)",
    "input x: [4, 4, 1]\n  y = x |> conv2d(1, kernel: 1, padding: [N, 0])",
    "input x: [4, 4, 1]\n  y = x |> maxpool(N)",
    "input x: [4, 4, 1]\n  y = x |> avgpool(2, stride: N)",
    "input x: [4, 4, 1]\n  y = x |> maxpool(2, padding: N)",
    "input x: [4]\n  y = x |> dense(N)",
    "input x: [4]\n  y = x |> dense(2)\n  train {\n    loss mse(y)\n    optimizer sgd(lr: 0.1, schedule: step(every: N))\n  }",
  ];
  const max = Number.MAX_SAFE_INTEGER;
  // the largest limits the CLI accepts: sizes past 2^53 must still be refused, not computed with
  const raised = { maxDim: max, maxElements: max, maxParamBytes: max };

  it("give a diagnostic at the number, with default and with the largest limits, and compile() agrees", async () => {
    const cases = fc.tuple(fc.constantFrom(...sites), fc.constantFrom(...huge), fc.boolean());
    await fc.assert(
      fc.asyncProperty(cases, async ([site, number, raise]) => {
        const source = `model M {\n  ${site.replace("N", number)}\n}`;
        const limits = raise ? raised : {};
        const start = performance.now();
        const analysis = analyze(source, "huge.cnn", limits);
        const result = await compile(source, { path: "huge.cnn", limits, format: false });
        expect(performance.now() - start).toBeLessThan(1000);
        expect(analysis.checked).toBeUndefined();
        expect(result.code).toBeUndefined();
        const at = source.indexOf(number);
        const located = analysis.diagnostics.filter(
          (d) => d.severity === "error" && d.span.start <= at && d.span.end >= at + Math.min(number.length, 64),
        );
        expect(located.length, analysis.diagnostics.map((d) => d.message).join("; ")).toBeGreaterThan(0);
        expect(result.diagnostics.map((d) => d.code)).toEqual(analysis.diagnostics.map((d) => d.code));
      }),
      { numRuns: 150, seed: fuzzSeed },
    );
  });

  it("products past 2^53 are refused even when each factor is allowed", () => {
    const cube = "model M {\n  input x: [16777216, 16777216, 16777216]\n  y = x |> relu\n}";
    expect(analyze(cube, "cube.cnn", raised).diagnostics.map((d) => d.code)).toEqual(["CNN3009"]);
    // 2^24 x 1 x 2^24 x 2^24 kernel weights
    const kernel = "model M {\n  input x: [16777216, 16, 16777216]\n  y = x |> conv2d(16777216, kernel: [16777216, 1])\n}";
    expect(analyze(kernel, "kernel.cnn", raised).diagnostics.map((d) => d.code)).toEqual(["CNN3010"]);
  });
});
