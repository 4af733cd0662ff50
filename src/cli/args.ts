// argv to a command, one input path and flag values, or a usage error (exit code 2).
import { existsSync } from "node:fs";
import { suggest } from "../check/suggest.js";
import { flagSpecs, type Command, type FlagSpec } from "./flags.js";

export interface ParsedArgs {
  readonly command: Command;
  /** the input file of compile and check; "-" for stdin; absent with --help or --version, and for fmt and lsp */
  readonly input?: string;
  /** the files `cnnc fmt` formats ("-" for stdin); empty for the other commands */
  readonly inputs: readonly string[];
  /** by long name: the value, or true for a switch */
  readonly flags: ReadonlyMap<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlag(arg)) {
      positionals.push(arg);
      continue;
    }
    const { spec, inlineValue } = lookUp(arg);
    if (flags.has(spec.name)) throw new UsageError(`--${spec.name} is given more than once`);
    let value: string | true = true;
    if (spec.value !== undefined) {
      value = inlineValue ?? argv[++i] ?? missingValue(spec);
      checkChoice(spec, value);
    } else if (inlineValue !== undefined) {
      throw new UsageError(`--${spec.name} takes no value`);
    }
    flags.set(spec.name, value);
  }
  return toCommand(positionals, flags);
}

// "-" alone is a path (stdin); "-x" and "--x" are flags.
function isFlag(arg: string): boolean {
  return arg.startsWith("-") && arg !== "-";
}

function lookUp(arg: string): { spec: FlagSpec; inlineValue?: string } {
  const long = arg.startsWith("--");
  const body = arg.slice(long ? 2 : 1);
  const eq = body.indexOf("=");
  const key = eq >= 0 ? body.slice(0, eq) : body;
  const spec = flagSpecs.find((f) => (long ? f.name === key : f.short === key));
  if (!spec) throw new UsageError(`unknown option '${arg.split("=")[0]}'`);
  return eq >= 0 ? { spec, inlineValue: body.slice(eq + 1) } : { spec };
}

function missingValue(spec: FlagSpec): never {
  throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
}

function checkChoice(spec: FlagSpec, value: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(", ")}, not '${value}'`);
  }
}

const subcommands: readonly Command[] = ["check", "fmt", "lsp"];

function toCommand(positionals: string[], flags: Map<string, string | true>): ParsedArgs {
  refuseMisspeltCommand(positionals);
  const named = subcommands.find((c) => c === positionals[0]);
  const command: Command = named ?? "compile";
  const paths = named !== undefined ? positionals.slice(1) : positionals;
  for (const name of flags.keys()) {
    const spec = flagSpecs.find((f) => f.name === name)!;
    if (!spec.commands.includes(command)) throw new UsageError(`--${name} does not apply to 'cnnc ${command}'`);
  }
  if (flags.has("help") || flags.has("version")) return { command, inputs: [], flags };
  if (command === "lsp") {
    if (paths.length > 0) throw new UsageError(`'cnnc lsp' takes no file, got ${paths.join(", ")}`);
    return { command, inputs: [], flags };
  }
  if (paths.length === 0) throw new UsageError("no input file");
  if (command === "fmt") return fmtArgs(paths, flags);
  if (paths.length > 1) throw new UsageError(`one input file at a time, got ${paths.length}: ${paths.join(", ")}`);
  if (flags.has("watch") && paths[0] === "-") throw new UsageError("--watch needs a file to watch, not '-' (stdin)");
  return { command, input: paths[0]!, inputs: [], flags };
}

function fmtArgs(paths: string[], flags: Map<string, string | true>): ParsedArgs {
  if (flags.has("check") && flags.has("write")) throw new UsageError("--check and --write exclude each other");
  if (paths.includes("-") && paths.length > 1) throw new UsageError("'-' (stdin) is formatted on its own, not with other files");
  if (paths.includes("-") && flags.has("write")) throw new UsageError("--write needs files; '-' prints the formatted stdin");
  return { command: "fmt", inputs: paths, flags };
}

const commands: readonly string[] = subcommands;

// `cnnc chekc f.cnn` would otherwise read as two input files, and `cnnc chekc` as a missing
// file: a first word that is no file, has no extension and no directory, and is close to a
// command is a misspelt command.
function refuseMisspeltCommand(positionals: readonly string[]): void {
  const word = positionals[0];
  if (word === undefined || word === "-" || commands.includes(word) || /[./\\]/.test(word) || existsSync(word)) return;
  const guess = suggest(word, commands);
  if (guess !== undefined) throw new UsageError(`unknown command \`${word}\`; did you mean \`${guess}\`?`);
  if (positionals.length > 1) throw new UsageError(`unknown command \`${word}\`; the commands are ${commands.map((c) => `\`${c}\``).join(", ")}, or a file to compile`);
}
