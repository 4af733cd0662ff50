// compile(): the pipeline, one line per phase. Each phase returns its value and its diagnostics;
// we stop after the first phase that reports an error.
import { analyze, type Analysis } from "./analyze.js";
import { lower } from "./ir/lower.js";
import { emitModule } from "./emit/module.js";
import { toJavaScript } from "./emit/javascript.js";
import { defaultOptions, type CompileOptions } from "./options.js";
import { arenaTooLarge, moduleTooLarge } from "./diagnostics/shapes.js";
import { readableWasm, wasmInvalid } from "./diagnostics/target.js";
import { WasmInvalidError } from "./emit/wasm/build.js";
import type { Graph } from "./ir/graph.js";

export { analyze, type Analysis } from "./analyze.js";
export { defaultOptions, type CompileOptions } from "./options.js";
export { SourceFile } from "./source/span.js";
export type { Diagnostic } from "./diagnostics/diagnostic.js";
export { renderDiagnostics } from "./diagnostics/render.js";

export interface CompileResult extends Analysis {
  /** the generated module (TypeScript, or JavaScript with `emit: "js"`), present when there is no error */
  readonly code?: string;
  /** with `emit: "js"`: the module's type declarations, for a `.d.ts` beside the `.js` */
  readonly declarations?: string;
}

/** Compiles source text, or an analysis already made of it (so a caller that checked the
 *  program first does not parse it twice; its path and limits are the analysis'). */
export async function compile(input: string | Analysis, options: Partial<CompileOptions> = {}): Promise<CompileResult> {
  const given = { ...defaultOptions, ...options };
  // The wasm target's arena is the module's memory, of the build's own element type: f32 stores
  // round by themselves.
  const opts = given.target === "wasm" ? { ...given, float32Arena: true } : given;
  const analysis = typeof input === "string" ? analyze(input, opts.path, opts.limits) : input;
  if (!analysis.checked) return analysis;
  const refused = opts.readable && opts.target === "wasm" ? analysis.checked.models.map((m) => readableWasm(m.span, m.name)) : [];
  if (refused.length > 0) return { ...analysis, diagnostics: [...analysis.diagnostics, ...refused] };
  const lowered = analysis.checked.models.map((model) => lower(model, opts));
  const broken = lowered.flatMap((l) => l.diagnostics);
  if (broken.length > 0) return { ...analysis, diagnostics: [...analysis.diagnostics, ...broken] };
  const graphs = lowered.map((l) => l.graph!);
  // Each instance allocates its arena once; past what a typed array can hold, say so now.
  const tooBig = graphs
    .filter((g) => g.plan.bytes > opts.maxArenaBytes)
    .map((g) => arenaTooLarge(g.model.span, g.model.name, g.plan.bytes, opts.maxArenaBytes));
  if (tooBig.length > 0) return { ...analysis, diagnostics: tooBig };
  // JavaScript is transpiled from the unformatted TypeScript, and formatted once, as JavaScript
  let code: string;
  try {
    code = await emitModule(graphs, analysis.file, { ...opts, format: opts.format && opts.emit === "ts" });
  } catch (e) {
    if (!(e instanceof WasmInvalidError)) throw e;
    const model = graphs[0]!.model;
    return { ...analysis, diagnostics: [wasmInvalid(model.span, model.name)] };
  }
  if (code.length > opts.maxSourceBytes) {
    const model = graphs[0]!.model;
    return { ...analysis, diagnostics: [moduleTooLarge(model.span, model.name, code.length, opts.maxSourceBytes)] };
  }
  if (opts.emit === "ts") return { ...analysis, code };
  return { ...analysis, ...(await toJavaScript(code, opts.format)) };
}

export type { Graph };
