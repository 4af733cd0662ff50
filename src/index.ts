// compile(): the pipeline, one line per phase. Each phase returns its value and its diagnostics;
// we stop after the first phase that reports an error.
import { analyze, type Analysis } from "./analyze.js";
import { lower } from "./ir/lower.js";
import { emitModule } from "./emit/module.js";
import { toJavaScript } from "./emit/javascript.js";
import { defaultOptions, type CompileOptions } from "./options.js";
import { arenaTooLarge, moduleTooLarge } from "./diagnostics/shapes.js";

export { analyze, type Analysis } from "./analyze.js";
export { defaultOptions, type CompileOptions } from "./options.js";
export { SourceFile } from "./syntax/span.js";
export type { Diagnostic } from "./diagnostics/diagnostic.js";
export { renderDiagnostics } from "./diagnostics/render.js";

export interface CompileResult extends Analysis {
  /** the generated module (TypeScript, or JavaScript with `emit: "js"`), present when there is no error */
  readonly code?: string;
  /** with `emit: "js"`: the module's type declarations, for a `.d.ts` beside the `.js` */
  readonly declarations?: string;
}

export async function compile(source: string, options: Partial<CompileOptions> = {}): Promise<CompileResult> {
  const opts = { ...defaultOptions, ...options };
  const analysis = analyze(source, opts.path, opts.limits);
  if (!analysis.checked) return analysis;
  const graphs = analysis.checked.models.map((model) => lower(model, opts));
  // Each instance allocates its arena once; past what a typed array can hold, say so now.
  const tooBig = graphs
    .map((g) => ({ g, bytes: g.plan!.arenaSize * (opts.precision === "f32" && opts.float32Arena ? 4 : 8) + g.plan!.indexSize * 4 }))
    .filter(({ bytes }) => bytes > opts.maxArenaBytes)
    .map(({ g, bytes }) => arenaTooLarge(g.model.span, g.model.name, bytes, opts.maxArenaBytes));
  if (tooBig.length > 0) return { ...analysis, diagnostics: tooBig };
  // JavaScript is transpiled from the unformatted TypeScript, and formatted once, as JavaScript
  const code = await emitModule(graphs, analysis.file, { ...opts, format: opts.format && opts.emit === "ts" });
  if (code.length > opts.maxSourceBytes) {
    const model = analysis.checked.models[0]!;
    return { ...analysis, diagnostics: [moduleTooLarge(model.span, model.name, code.length, opts.maxSourceBytes)] };
  }
  if (opts.emit === "ts") return { ...analysis, code };
  return { ...analysis, ...(await toJavaScript(code, opts.format)) };
}
