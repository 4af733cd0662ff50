// Runs the project's TypeScript compiler on a tsconfig written for the occasion, as a user's
// build would; returns what it reports (empty when everything type-checks).
//
// In this process, through the compiler API, rather than by spawning `tsc -p`: the options go
// through the same tsconfig parser and the same program, but a spawned tsc loads TypeScript and
// parses its lib.*.d.ts files again each time (1-2 s); here they are parsed once per test worker
// (test/helpers/lib-cache.ts).
import ts from "typescript";
import { cacheLibFiles } from "./lib-cache.js";

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

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => ts.sys.getCurrentDirectory(),
  getNewLine: () => "\n",
};

/** Type-checks `files` (absolute paths) under `options`, as `tsc -p` would with
 *  `{ compilerOptions: options, files }` for its tsconfig.json. */
export async function typeCheck(files: readonly string[], options: object = strictUserOptions): Promise<string> {
  const config = ts.parseJsonConfigFileContent({ compilerOptions: options, files }, ts.sys, ts.sys.getCurrentDirectory());
  return checkConfig(config);
}

/** Type-checks the project of a tsconfig.json on disk, as `tsc -p <path>` would. */
export function typeCheckProject(tsconfig: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.formatDiagnostics([d], formatHost));
    },
  });
  return checkConfig(config!);
}

function checkConfig(config: ts.ParsedCommandLine): string {
  const host = cacheLibFiles(ts.createCompilerHost(config.options));
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, configFileParsingDiagnostics: config.errors });
  return ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), formatHost);
}
