// tsc --strict on generated modules without touching the disk: one in-memory program for a whole
// batch, since loading the standard library dominates the cost of a program.
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import ts from "typescript";

const libDir = dirname(createRequire(import.meta.url).resolve("typescript"));

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

/** The rendered type errors of each module, in input order (an empty string when it checks). */
export function typeCheckModules(modules: readonly string[]): string[] {
  const files = new Map(modules.map((code, i) => [`/fuzz/module${i}.ts`, code]));
  const host = ts.createCompilerHost(options);
  const readLib = host.readFile.bind(host);
  host.getCurrentDirectory = () => "/fuzz";
  host.fileExists = (path) => files.has(path) || (path.startsWith(libDir) && ts.sys.fileExists(path));
  host.readFile = (path) => files.get(path) ?? (path.startsWith(libDir) ? readLib(path) : undefined);
  host.getDefaultLibLocation = () => libDir;
  host.getDefaultLibFileName = (o) => join(libDir, ts.getDefaultLibFileName(o));
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].map((path) => {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(path));
    return ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => "/fuzz",
      getNewLine: () => "\n",
    });
  });
}
