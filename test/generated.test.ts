// generated/ is committed; it must be exactly what the compiler produces now, and it must
// type-check under tsc --strict as users will compile it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { generatedFiles, generateExample, root } from "../scripts/generate.js";

describe("generated/", () => {
  it.each(generatedFiles())("generated/$file is fresh (run `npm run generate` after changing the compiler)", async (g) => {
    const committed = readFileSync(join(root, "generated", g.file), "utf8");
    const fresh = await generateExample(g.example, g.readable, g.target);
    expect(fresh === committed, `generated/${g.file} is stale`).toBe(true);
  });

  it("type-checks under tsc --noEmit --strict", () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      output = execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.generated.json")], { encoding: "utf8" });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe("");
  });

  // The compiler formats with prettier's babel-ts parser (a quarter faster to start than its
  // typescript parser); a user running prettier on the file with the default TypeScript parser
  // must find nothing to change.
  it.each(generatedFiles())("generated/$file is what prettier's TypeScript parser prints", async (g) => {
    const text = readFileSync(join(root, "generated", g.file), "utf8");
    expect(await prettier.check(text, { parser: "typescript", printWidth: 100 })).toBe(true);
  });

  it("imports nothing", () => {
    for (const g of generatedFiles()) {
      const text = readFileSync(join(root, "generated", g.file), "utf8");
      expect(text).not.toMatch(/^\s*import\s/m);
      expect(text).not.toMatch(/\brequire\(/);
    }
  });
});
