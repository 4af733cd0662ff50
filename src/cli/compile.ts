// `cnnc <file> -o <out.ts|out.js>`: the whole pipeline, then the generated module (and, for
// JavaScript, its .d.ts) to files or stdout.
import { hasErrors } from "../diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../diagnostics/json.js";
import { UsageError, type ParsedArgs } from "./args.js";
import { readSource, writeOutput } from "./files.js";
import type { CliIo } from "./io.js";
import { backEndLimitsFrom, limitsFrom } from "./limits.js";
import { outputPlan } from "./output.js";
import { applyDenyWarnings, displayPath, printJson, reportFailure, reportWarnings } from "./report.js";
import { refuseOverwritingSource } from "./same-file.js";

export async function runCompile(args: ParsedArgs, io: CliIo): Promise<number> {
  const input = args.input!;
  const json = args.flags.has("json");
  const deny = args.flags.has("deny-warnings");
  const plan = outputPlan(args, input);
  const output = plan.path;
  if (json && output === "-") throw new UsageError("--json prints to stdout, so it needs -o <file>, not '-o -'");
  await refuseOverwritingSource(input, output);
  if (plan.declarations !== undefined) await refuseOverwritingSource(input, plan.declarations);
  const source = await readSource(input, io.stdin);
  const path = displayPath(input);
  const empty = { output };
  // the front end alone first: on errors, skip loading the back end (ts-morph, prettier)
  const { analyze } = await import("../analyze.js");
  const limits = limitsFrom(args);
  const analysis = analyze(source, path, limits);
  const frontEnd = applyDenyWarnings(analysis.diagnostics, deny);
  if (!analysis.checked || hasErrors(frontEnd)) {
    reportFailure(io, frontEnd, analysis.file, json, empty);
    return 1;
  }
  const { compile } = await import("../index.js");
  const precision = args.flags.get("precision") === "f64" ? "f64" : "f32";
  // the analysis made above: the front end runs once per compile
  const result = await compile(analysis, { path, emit: plan.emit, precision, limits, readable: args.flags.has("readable"), target: args.flags.get("target") === "wasm" ? "wasm" : "ts", checkNumerics: args.flags.has("check-numerics"), ...backEndLimitsFrom(args) });
  if (result.code === undefined || hasErrors(result.diagnostics)) {
    reportFailure(io, result.diagnostics, result.file, json, empty);
    return 1;
  }
  reportWarnings(io, result.diagnostics, result.file, json);
  if (output === "-") io.out(result.code);
  else await writeOutput(output, result.code);
  if (plan.declarations !== undefined) await writeOutput(plan.declarations, result.declarations!);
  const declarations = plan.declarations === undefined ? {} : { declarations: plan.declarations };
  if (json) printJson(io, { file: result.file.path, output, ...declarations, diagnostics: toJsonDiagnostics(result.diagnostics, result.file) });
  return 0;
}
