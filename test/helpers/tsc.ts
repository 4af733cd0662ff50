// Runs the project's TypeScript compiler on a tsconfig written for the occasion, as a user's
// build would; returns what it prints (empty when everything type-checks).
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** The strictest configuration a user's project is likely to have, with nothing but ES2022's
 *  standard library: no DOM, no @types/node. */
export const strictUserOptions = {
  target: "ES2022",
  module: "ESNext",
  moduleResolution: "Bundler",
  lib: ["ES2022"],
  types: [],
  strict: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noPropertyAccessFromIndexSignature: true,
  skipLibCheck: false,
  noEmit: true,
} as const;

/** Type-checks `files` (absolute paths) under `options`, from a scratch directory. */
export function typeCheck(files: readonly string[], options: object = strictUserOptions): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cnnc-tsc-"));
  const config = join(dir, "tsconfig.json");
  writeFileSync(config, JSON.stringify({ compilerOptions: options, files }));
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, "-p", config], { encoding: "utf8" }, (_error, stdout, stderr) => resolve(stdout + stderr));
  });
}
