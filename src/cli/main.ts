// cnnc's entry point: parse the arguments, run one command, map every outcome to an exit code:
// 0 success, 1 compile errors, 2 usage or I/O errors.
import { version } from "../version.js";
import { parseArgs, UsageError, type ParsedArgs } from "./args.js";
import { runCheck } from "./check.js";
import { runCompile } from "./compile.js";
import { IoError } from "./files.js";
import { runFmt } from "./fmt.js";
import { processIo, type CliIo } from "./io.js";
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
    return reportError(error, io);
  }
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
