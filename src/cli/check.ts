// `cnnc check <file>`: analyze only, then the per-layer table or its JSON form.
import { limitsFrom } from "./limits.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../diagnostics/json.js";
import type { ParsedArgs } from "./args.js";
import { readSource } from "./files.js";
import type { CliIo } from "./io.js";
import { applyDenyWarnings, displayPath, printJson, reportFailure, reportWarnings } from "./report.js";
import { summarize } from "./summary.js";
import { renderCheckTable } from "./table.js";

export async function runCheck(args: ParsedArgs, io: CliIo): Promise<number> {
  const input = args.input!;
  const json = args.flags.has("json");
  const source = await readSource(input, io.stdin);
  // loaded on demand so that --help and usage errors stay fast
  const { analyze } = await import("../analyze.js");
  const analysis = analyze(source, displayPath(input), limitsFrom(args));
  const diagnostics = applyDenyWarnings(analysis.diagnostics, args.flags.has("deny-warnings"));
  if (!analysis.checked || hasErrors(diagnostics)) {
    reportFailure(io, diagnostics, analysis.file, json, { models: [] });
    return 1;
  }
  const models = summarize(analysis.checked, analysis.file);
  reportWarnings(io, diagnostics, analysis.file, json);
  if (json) printJson(io, { file: analysis.file.path, models, diagnostics: toJsonDiagnostics(diagnostics, analysis.file) });
  else io.out(renderCheckTable(models));
  return 0;
}
