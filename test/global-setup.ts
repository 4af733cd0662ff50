// Run once before any test file: the cnnc command as an installed package has it, for the tests
// that spawn it many times. Under a checkout, bin/cnnc.js runs src/ through tsx, whose loader
// costs 2-3 s of CPU per process; the copy built here runs the same source transpiled once by
// esbuild (the transpiler tsx itself uses, file by file, so the code is the same), through the
// same bin/cnnc.js, which finds no src/ beside it and imports dist/ as a user's install does.
// Tests that must run the checkout's own bin under tsx keep spawning bin/cnnc.js in the root.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildPackage } from "../scripts/built-package.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** bin/cnnc.js of a package built from this checkout's src/ (see test/global-setup.ts) */
    builtCli: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "cnnc-built-"));
  await buildPackage(dir);
  project.provide("builtCli", join(dir, "bin", "cnnc.js"));
  return () => rmSync(dir, { recursive: true, force: true });
}
