// The browser build's `prettier`: its standalone build with the two plugins the `babel-ts`
// parser needs, so the playground formats the module exactly as the CLI does.
import { format as formatStandalone } from "prettier/standalone";
import type { Options } from "prettier";
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";

export function format(text: string, options: Options): Promise<string> {
  return formatStandalone(text, { ...options, plugins: [babel, estree] });
}
