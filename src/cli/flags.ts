// The command-line flags, one line each. A new option (say `--max-elements <n>`) is one more
// entry here; its value then appears in ParsedArgs.flags under its long name.
export type Command = "compile" | "check" | "fmt" | "lsp";

export interface FlagSpec {
  /** long name, used as `--name` and as the key in ParsedArgs.flags */
  readonly name: string;
  readonly short?: string;
  /** placeholder for the value in the help text; absent for a switch */
  readonly value?: string;
  /** the accepted values, when there is a fixed set */
  readonly choices?: readonly string[];
  readonly commands: readonly Command[];
  readonly description: string;
}

const both: readonly Command[] = ["compile", "check"];
const every: readonly Command[] = ["compile", "check", "fmt", "lsp"];

export const flagSpecs: readonly FlagSpec[] = [
  {
    name: "output",
    short: "o",
    value: "path",
    commands: ["compile"],
    description: "write the generated module here ('-' for stdout; default: the input with .ts, or .js with --emit js)",
  },
  {
    name: "emit",
    value: "ts|js",
    choices: ["ts", "js"],
    commands: ["compile"],
    description: "TypeScript, or JavaScript with a .d.ts beside it (default: from the -o extension: .ts/.mts, .js/.mjs; else ts)",
  },
  {
    name: "target",
    value: "ts|wasm",
    choices: ["ts", "wasm"],
    commands: ["compile"],
    description: "where the kernels run: TypeScript, or WebAssembly embedded in the same module (default: ts)",
  },
  {
    name: "precision",
    value: "f32|f64",
    choices: ["f32", "f64"],
    commands: ["compile"],
    description: "element type of the generated arena (default: f32)",
  },
  { name: "readable", commands: ["compile"], description: "emit the plain schedule for reading: straight loops, named arena regions, each loop nest's formula in a comment (slower)" },
  { name: "check-numerics", commands: ["compile"], description: "throw at the first layer whose output holds a NaN or an infinity, naming it" },
  { name: "max-rank", value: "n", commands: both, description: "largest tensor rank (default: 3)" },
  { name: "max-elements", value: "n", commands: both, description: "largest number of elements in one per-sample tensor (default: 67108864)" },
  { name: "max-param-bytes", value: "n", commands: both, description: "largest total parameter size, counted at 8 bytes each (default: 1073741824)" },
  { name: "max-layers", value: "n", commands: both, description: "largest number of layers in one model (default: 1000)" },
  { name: "max-dim", value: "n", commands: both, description: "largest dimension or size argument (default: 16777216)" },
  { name: "max-arena-bytes", value: "n", commands: ["compile"], description: "largest working memory of one model instance, in bytes (default: 2147483648)" },
  { name: "max-source-bytes", value: "n", commands: ["compile"], description: "largest generated module, in characters (default: 16777216)" },
  { name: "deny-warnings", commands: both, description: "treat every warning as an error (exit status 1)" },
  { name: "json", commands: both, description: "print results and diagnostics as JSON on stdout" },
  { name: "watch", commands: both, description: "run again whenever the input file changes, until Ctrl-C" },
  { name: "check", commands: ["fmt"], description: "fmt: change nothing; list the files that are not formatted, exit 1 if any" },
  { name: "write", short: "w", commands: ["fmt"], description: "fmt: rewrite the files in place (default: print them)" },
  { name: "stdio", commands: ["lsp"], description: "lsp: talk over stdin and stdout (the default and only transport)" },
  { name: "help", short: "h", commands: every, description: "show this help" },
  { name: "version", short: "V", commands: every, description: "show the compiler version" },
];
