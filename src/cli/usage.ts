// The help text, built from the flag table so it cannot fall behind it.
import { flagSpecs } from "./flags.js";

export function usageText(): string {
  const rows = flagSpecs.map((f) => {
    const names = [f.short ? `-${f.short}, ` : "    ", `--${f.name}`, f.value ? ` <${f.value}>` : ""].join("");
    return [names, f.description] as const;
  });
  const width = Math.max(...rows.map(([names]) => names.length));
  const options = rows.map(([names, description]) => `  ${names.padEnd(width)}  ${description}`);
  return [
    "usage: cnnc <file.cnn> [-o <out.ts|out.js>] [--emit ts|js] [--target ts|wasm] [--precision f32|f64] [--readable] [--json] [--watch]",
    "       cnnc check <file.cnn> [--json] [--watch]",
    "       cnnc fmt <file.cnn>... [--check | --write]",
    "       cnnc lsp",
    "",
    "Compiles a .cnn network to one self-contained TypeScript (or JavaScript) module; 'check' prints",
    "each model's layers, shapes, parameters and FLOPs without generating code; 'fmt' lays files",
    "out in the canonical style; 'lsp' is a language server for editors, over stdin and stdout.",
    "Use '-' to read stdin.",
    "",
    "options:",
    ...options,
    "",
    "exit status: 0 success, 1 compile errors, 2 usage or I/O errors",
    "",
  ].join("\n");
}

export const usageHint = "run 'cnnc --help' for usage";
