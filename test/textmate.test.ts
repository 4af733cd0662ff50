// The TextMate grammar of editors/vscode, run by vscode-textmate on the Oniguruma engine VS Code
// uses: every example, fixture without syntax errors and generated program is tokenised with
// nothing left unmatched (every non-blank character gets a scope of its own, none `invalid`),
// and its op, loss and optimizer names are the compiler's.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { analyze } from "../src/analyze.js";
import { opNames } from "../src/ops/index.js";
import { lossNames, optimizerNames } from "../src/check/train/index.js";
import { program } from "./fuzz/programs.js";
import { grammarWithNames } from "../scripts/generate.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const grammarPath = join(root, "editors", "vscode", "syntaxes", "cnn.tmLanguage.json");
const grammarText = readFileSync(grammarPath, "utf8");
const require = createRequire(import.meta.url);

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => (scope === "source.cnn" ? textmate.parseRawGrammar(grammarText, grammarPath) : null),
  });
  return (await registry.loadGrammar("source.cnn"))!;
}

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

function tokenize(grammar: textmate.IGrammar, source: string): Token[][] {
  let state = textmate.INITIAL;
  return source.split(/\r?\n|\r/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** Tokens with text that only the root scope covers, or that the grammar calls invalid. */
function unmatched(lines: Token[][]): string[] {
  return lines.flatMap((tokens, i) =>
    tokens
      .filter((t) => t.text.trim() !== "" && (t.scopes.length < 2 || t.scopes.some((s) => s.startsWith("invalid"))))
      .map((t) => `line ${i + 1}: '${t.text}' ${t.scopes.join(" ")}`),
  );
}

const scopeOf = (lines: Token[][], text: string): string | undefined => lines.flat().find((t) => t.text === text)?.scopes.at(-1);

const sources = [
  ...readdirSync(join(root, "examples")).filter((f) => f.endsWith(".cnn")).map((f) => join(root, "examples", f)),
  ...readdirSync(join(root, "test", "fixtures"), { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith("input.cnn"))
    .map((p) => join(root, "test", "fixtures", p)),
];

describe("TextMate grammar", () => {
  it("tokenises every example and syntactically valid fixture with nothing unmatched", async () => {
    const grammar = await loadGrammar();
    let count = 0;
    for (const path of sources) {
      const source = readFileSync(path, "utf8");
      if (analyze(source, path).diagnostics.some((d) => d.code.startsWith("CNN1"))) continue;
      expect(unmatched(tokenize(grammar, source)), path).toEqual([]);
      count++;
    }
    expect(count).toBeGreaterThan(40);
  });

  it("tokenises generated programs with nothing unmatched", async () => {
    const grammar = await loadGrammar();
    for (const source of fc.sample(program, { numRuns: 100, seed: 77 })) {
      if (analyze(source).diagnostics.some((d) => d.code.startsWith("CNN1"))) continue;
      expect(unmatched(tokenize(grammar, source)), source).toEqual([]);
    }
  });

  it("gives keywords, op names, argument names, choice values, numbers, shapes and comments their scopes", async () => {
    const grammar = await loadGrammar();
    const lines = tokenize(grammar, readFileSync(join(root, "examples", "lenet.cnn"), "utf8"));
    expect(scopeOf(lines, "model")).toBe("keyword.other.model.cnn");
    expect(scopeOf(lines, "LeNet")).toBe("entity.name.type.model.cnn");
    expect(scopeOf(lines, "input")).toBe("keyword.other.cnn");
    expect(scopeOf(lines, "conv2d")).toBe("support.function.op.cnn");
    expect(scopeOf(lines, "relu")).toBe("support.function.op.cnn");
    expect(scopeOf(lines, "kernel")).toBe("variable.parameter.cnn");
    expect(scopeOf(lines, "same")).toBe("constant.language.cnn");
    expect(scopeOf(lines, "0.01")).toBe("constant.numeric.cnn");
    expect(lines[2]!.find((t) => t.text === "28")!.scopes).toContain("meta.shape.cnn");
    expect(scopeOf(lines, "# LeNet-5 for 28x28 grayscale digits.")).toBe("comment.line.number-sign.cnn");
    expect(scopeOf(lines, "features")).toBe("variable.other.tensor.cnn");
    expect(scopeOf(lines, "|>")).toBe("keyword.operator.pipe.cnn");
    expect(scopeOf(lines, "softmax_cross_entropy")).toBe("support.function.loss.cnn");
    expect(scopeOf(lines, "sgd")).toBe("support.function.optimizer.cnn");
  });

  it("knows exactly the compiler's ops, losses and optimizers", () => {
    const grammar = JSON.parse(grammarText) as { repository: { ops: { patterns: { name: string; match: string }[] } } };
    const names = (scope: string): string[] => {
      const match = grammar.repository.ops.patterns.find((p) => p.name === scope)!.match;
      return match.replace(/^\\b\(\?:/, "").replace(/\)\\b$/, "").split("|").sort();
    };
    expect(names("support.function.op.cnn")).toEqual([...opNames].sort());
    expect(names("support.function.loss.cnn")).toEqual([...lossNames].sort());
    expect(names("support.function.optimizer.cnn")).toEqual([...optimizerNames].sort());
  });

  it("is written by `npm run generate`: its name lists are the registries', in their order", () => {
    expect(grammarText).toBe(grammarWithNames(grammarText));
  });
});

describe("the VS Code extension", () => {
  const dir = join(root, "editors", "vscode");
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    main: string;
    contributes: { languages: { id: string; extensions: string[]; configuration: string }[]; grammars: { path: string; scopeName: string }[] };
    dependencies: Record<string, string>;
  };

  it("contributes the language, its configuration and the grammar tested above", () => {
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: "cnn", extensions: [".cnn"] });
    const configuration = JSON.parse(readFileSync(join(dir, language!.configuration), "utf8")) as { comments: { lineComment: string }; brackets: string[][] };
    expect(configuration.comments.lineComment).toBe("#");
    expect(configuration.brackets).toEqual([["{", "}"], ["[", "]"], ["(", ")"]]);
    expect(join(dir, manifest.contributes.grammars[0]!.path)).toBe(grammarPath);
    expect(manifest.contributes.grammars[0]!.scopeName).toBe("source.cnn");
  });

  it("starts `cnnc lsp` through the same vscode-languageclient version as the server's protocol library", () => {
    const extension = readFileSync(join(dir, manifest.main), "utf8");
    expect(extension).toContain('["npx", "cnnc", "lsp"]');
    const server = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["vscode-languageclient"]).toBe(server.dependencies["vscode-languageserver"]);
  });
});
