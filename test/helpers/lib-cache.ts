// TypeScript's lib.*.d.ts files, parsed once per test worker and shared by every program the
// tests create (helpers/tsc.ts, fuzz/typecheck.ts): parsing and binding them is most of the cost
// of a small program. A SourceFile does not depend on the program that reads it, only on how it
// was parsed (the language version and the other creation options, part of the key); this is
// the reuse TypeScript's own language service makes through its document registry.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import ts from "typescript";

const libDir = dirname(createRequire(import.meta.url).resolve("typescript"));
const parsed = new Map<string, ts.SourceFile | undefined>();

export function cacheLibFiles(host: ts.CompilerHost): ts.CompilerHost {
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    if (!fileName.startsWith(libDir) || shouldCreateNewSourceFile) return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    const key = `${fileName} ${JSON.stringify(languageVersionOrOptions)}`;
    if (!parsed.has(key)) parsed.set(key, getSourceFile(fileName, languageVersionOrOptions, onError));
    return parsed.get(key);
  };
  return host;
}
