// Every committed module compiles in a user's strict project (issue 12, item 3): strict plus
// noUncheckedIndexedAccess, noUnusedLocals, noUnusedParameters, exactOptionalPropertyTypes, and
// `lib: ["ES2022"]` alone, so no DOM and no @types/node to supply TextEncoder or TextDecoder.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleNames, root } from "../scripts/generate.js";
import { strictUserOptions, typeCheck } from "./helpers/tsc.js";

describe("generated modules in a strict project", () => {
  it("type-check under the strictest flags with lib ES2022 alone", async () => {
    const files = exampleNames().map((name) => join(root, "generated", `${name}.ts`));
    expect(files.length).toBeGreaterThan(3);
    // the lib's own .d.ts files are TypeScript's business; the modules are checked in full
    expect(await typeCheck(files, { ...strictUserOptions, skipLibCheck: true })).toBe("");
  });
});
