// `cnnc fmt <file>...`: print each file in the canonical layout, list the ones that are not in it
// (--check), or rewrite them in place (--write). A file with syntax errors is never touched.
import type { ParsedArgs } from "./args.js";
import { readSource, writeOutput } from "./files.js";
import type { CliIo } from "./io.js";
import { displayPath, reportFailure } from "./report.js";

type Mode = "print" | "check" | "write";

export async function runFmt(args: ParsedArgs, io: CliIo): Promise<number> {
  const mode: Mode = args.flags.has("check") ? "check" : args.flags.has("write") ? "write" : "print";
  // loaded on demand so that --help and usage errors stay fast
  const { formatSource } = await import("../fmt/format.js");
  let status = 0;
  for (const input of args.inputs) {
    const source = await readSource(input, io.stdin);
    const result = formatSource(source, displayPath(input));
    if (result.text === undefined) {
      reportFailure(io, result.diagnostics, result.file, false, {});
      io.err(`cnnc: '${result.file.path}' is left as it is: it has syntax errors\n`);
      status = 1;
    } else if (mode === "print") {
      io.out(result.text);
    } else if (result.text !== source) {
      // atomic: a temporary file beside it, then a rename (files.ts)
      if (mode === "write") await writeOutput(input, result.text);
      else io.out(`${input}\n`);
      if (mode === "check") status = 1;
    }
  }
  return status;
}
