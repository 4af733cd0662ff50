// The back half for accepted inputs: compile() gives a module and esbuild parses it.
import { transform } from "esbuild";
import { compile } from "../../src/index.js";
import type { CompileOptions } from "../../src/options.js";

export interface Compiled {
  readonly code?: string;
  readonly problems: readonly string[];
}

export async function compileAndParse(source: string, options: Partial<CompileOptions> = {}): Promise<Compiled> {
  let code: string | undefined;
  try {
    const result = await compile(source, { path: "fuzz.cnn", ...options });
    code = result.code;
    if (code === undefined)
      return {
        problems: [`checked cleanly but compile() gave no code: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`],
      };
  } catch (e) {
    return { problems: [`compile() threw: ${e instanceof Error ? e.stack : String(e)}`] };
  }
  try {
    await transform(code, { loader: "ts", format: "esm", target: "es2022" });
  } catch (e) {
    return { code, problems: [`esbuild could not parse the module: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return { code, problems: [] };
}
