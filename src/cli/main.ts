// cnnc's entry point: parse the arguments, run one command, map every outcome to an exit code:
// 0 success, 1 compile errors, 2 usage or I/O errors.
import { version } from "../version.js";
import { parseArgs, UsageError, type ParsedArgs } from "./args.js";
import { runCheck } from "./check.js";
import { runCompile } from "./compile.js";
import { IoError } from "./files.js";
import { runFmt } from "./fmt.js";
import { processIo, type CliIo } from "./io.js";
import { printJson } from "./report.js";
import { usageHint, usageText } from "./usage.js";
import { watchFile } from "./watch.js";

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.flags.has("help")) {
      io.out(usageText());
      return 0;
    }
    if (args.flags.has("version")) {
      io.out(`cnnc ${version}\n`);
      return 0;
    }
    if (args.command === "lsp") {
      const { runLanguageServer } = await import("../lsp/server.js");
      return await runLanguageServer();
    }
    if (args.command === "fmt") return await runFmt(args, io);
    if (!args.flags.has("watch")) return await runOnce(args, io);
    // a failed run (even an unreadable file, mid-save) is reported and watching goes on
    const run = () => runOnce(args, io).catch((error: unknown) => reportError(error, io));
    return await watchFile(args.input!, { ...io, clear: io.errColor }, run);
  } catch (error) {
    return wantsJson(argv) ? reportErrorAsJson(error, io) : reportError(error, io);
  }
}

// Read from argv itself: a usage error may come before (or instead of) a parsed --json.
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/** With --json every failure is one JSON object on stdout too: no file, no models, no
 *  diagnostics, and `error` saying what went wrong (docs/cnnc-output.schema.json). */
function reportErrorAsJson(error: unknown, io: CliIo): number {
  const kind = error instanceof UsageError ? "usage" : error instanceof IoError ? "io" : "internal";
  const message = error instanceof Error ? error.message : String(error);
  printJson(io, { file: null, error: { kind, message }, diagnostics: [] });
  if (kind === "internal") io.err(`cnnc: internal compiler error, please report it\n${error instanceof Error ? (error.stack ?? message) : message}\n`);
  return kind === "internal" ? 1 : 2;
}

function runOnce(args: ParsedArgs, io: CliIo): Promise<number> {
  return args.command === "check" ? runCheck(args, io) : runCompile(args, io);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(`cnnc: ${error.message}\n${usageHint}\n`);
    return 2;
  }
  if (error instanceof IoError) {
    io.err(`cnnc: ${error.message}\n`);
    return 2;
  }
  // a bug in the compiler, not in the user's program: say so, with the stack for the report
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`cnnc: internal compiler error, please report it\n${detail}\n`);
  return 1;
}
