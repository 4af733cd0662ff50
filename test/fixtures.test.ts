// Golden tests: every test/fixtures/**/input.cnn next to its expected.txt, which holds the
// rendered diagnostics, or the `cnnc check` table when the program is valid.
// Update them all with `npx vitest run test/fixtures.test.ts -u` and review the diff.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { compile } from "../src/index.js";
import { allCodes } from "../src/diagnostics/index.js";
import { renderDiagnostics } from "../src/diagnostics/render.js";
import { summarize } from "../src/cli/summary.js";
import { renderCheckTable } from "../src/cli/table.js";

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

// Codes that no fixture can show, each with the reason and the test that covers it instead.
const notInFixtures: Readonly<Record<string, string>> = {
  CNN1008: "needs a source over 10,000,000 characters; covered in test/syntax.test.ts",
  CNN1012: "needs a source over 100,000 tokens; covered in test/syntax.test.ts",
  CNN1013: "needs over 100 diagnostics in one file, a fixture of hundreds of lines; covered in test/syntax.test.ts",
};

function fixtureDirs(): string[] {
  return readdirSync(fixturesDir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith("input.cnn"))
    .map((p) => dirname(join(fixturesDir, p)))
    .sort();
}

/** What expected.txt holds for one fixture, and the codes of its diagnostics. A fixture with
 *  a compile.json runs the whole compiler with those options (for the back end's limits). */
async function runFixture(dir: string): Promise<{ text: string; codes: string[] }> {
  const path = relative(fixturesDir, join(dir, "input.cnn")).split("\\").join("/");
  const source = readFileSync(join(dir, "input.cnn"), "utf8");
  const options = join(dir, "compile.json");
  const analysis = existsSync(options)
    ? await compile(source, { ...(JSON.parse(readFileSync(options, "utf8")) as object), path, format: false })
    : analyze(source, path);
  const codes = analysis.diagnostics.map((d) => d.code);
  if (analysis.diagnostics.length > 0) return { text: renderDiagnostics(analysis.diagnostics, analysis.file), codes };
  return { text: renderCheckTable(summarize(analysis.checked!, analysis.file)), codes };
}

describe("fixtures", () => {
  const dirs = fixtureDirs();

  it("finds the fixtures", () => {
    expect(dirs.length).toBeGreaterThan(10);
  });

  for (const dir of dirs) {
    it(relative(fixturesDir, dir), async () => {
      const { text } = await runFixture(dir);
      expect(text.length).toBeGreaterThan(0);
      await expect(text).toMatchFileSnapshot(join(dir, "expected.txt"));
    });
  }

  it("shows every diagnostic code in at least one fixture", async () => {
    const shown = new Set((await Promise.all(dirs.map(runFixture))).flatMap((r) => r.codes));
    const missing = allCodes.filter((code) => !shown.has(code) && notInFixtures[code] === undefined);
    expect(missing).toEqual([]);
  });

  it("exempts only codes that exist and that no fixture shows", async () => {
    const shown = new Set((await Promise.all(dirs.map(runFixture))).flatMap((r) => r.codes));
    for (const code of Object.keys(notInFixtures)) {
      expect(allCodes).toContain(code);
      expect(shown.has(code)).toBe(false);
    }
  });
});
