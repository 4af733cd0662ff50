// What `cnnc <file> -o <out>` writes: the language (from --emit, else from the extension of -o)
// and the paths. A `.js` module gets its declarations beside it, in the `.d.ts` (or, for `.mjs`,
// the `.d.mts`) that TypeScript looks for next to it.
import { extname } from "node:path";
import { UsageError, type ParsedArgs } from "./args.js";
import { defaultOutputPath } from "./files.js";

export type Emit = "ts" | "js";

export interface OutputPlan {
  readonly emit: Emit;
  /** the module's path; "-" for stdout */
  readonly path: string;
  /** the .d.ts beside a JavaScript module written to a file */
  readonly declarations?: string;
}

/** By extension: the language it holds and, for JavaScript, the extension of its declarations. */
const extensions: Readonly<Record<string, { emit: Emit; declarations?: string }>> = {
  ".ts": { emit: "ts" },
  ".mts": { emit: "ts" },
  ".js": { emit: "js", declarations: ".d.ts" },
  ".mjs": { emit: "js", declarations: ".d.mts" },
};

export function outputPlan(args: ParsedArgs, input: string): OutputPlan {
  const flag = args.flags.get("emit");
  const asked = flag === "ts" || flag === "js" ? flag : undefined;
  const given = args.flags.get("output");
  // stdin has no name to derive an output from, so it compiles to stdout unless -o says otherwise
  const path = typeof given === "string" ? given : input === "-" ? "-" : defaultPath(input, asked ?? "ts");
  if (path === "-") return { emit: asked ?? "ts", path };
  const ext = extname(path).toLowerCase();
  if (ext === ".cjs" || ext === ".cts") {
    throw new UsageError(`-o ${path}: the module is an ES module (it exports a class); name it .js, .mjs or .ts`);
  }
  const known = extensions[ext];
  if (known && asked && known.emit !== asked) {
    throw new UsageError(`-o ${path} names a ${language(known.emit)} file, but --emit ${asked} writes ${language(asked)}`);
  }
  const emit = known?.emit ?? asked ?? "ts";
  if (emit === "ts") return { emit, path };
  if (!known?.declarations) throw new UsageError(`--emit js needs an output path ending in .js or .mjs, not '${path}'`);
  return { emit, path, declarations: path.slice(0, -ext.length) + known.declarations };
}

// `net.cnn` -> `net.ts`, or `net.js` for JavaScript
function defaultPath(input: string, emit: Emit): string {
  const ts = defaultOutputPath(input);
  return emit === "ts" ? ts : `${ts.slice(0, -3)}.js`;
}

function language(emit: Emit): string {
  return emit === "ts" ? "TypeScript" : "JavaScript";
}
