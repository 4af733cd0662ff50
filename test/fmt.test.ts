// `cnnc fmt` over every example, every fixture and generated valid programs (with comments put in
// everywhere a comment can go): idempotent, every comment kept, and the same compiled module.
// The module names each layer's source line, so where formatting moves a layer to another line
// the modules must be identical but for those `(line N)` comments, each of which must name the
// layer's line in its own source; where the lines stay (whitespace-mangled examples) the modules
// must be byte-identical.
// FMT_FUZZ_COUNT sets the number of generated programs (default 60).
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cnnLexer } from "../grammar/lexer.js";
import { analyze } from "../src/analyze.js";
import { main } from "../src/cli/main.js";
import type { CliIo } from "../src/cli/io.js";
import { formatSource } from "../src/fmt/format.js";
import { compile } from "../src/index.js";
import { SourceFile } from "../src/source/span.js";
import { program } from "./fuzz/programs.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const fuzzCount = Number(process.env["FMT_FUZZ_COUNT"] ?? 60);
/** generated programs also compiled, each twice (compile() is the slow part) */
const compileCount = 20;

function cnnFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(".cnn"))
    .sort()
    .map((p) => join(dir, p));
}

const examples = cnnFiles(join(root, "examples"));
const fixtures = cnnFiles(join(root, "test", "fixtures"));

function comments(text: string): string[] {
  const groups = cnnLexer.tokenize(text).groups["comments"] ?? [];
  return groups.map((c) => c.image.trimEnd()).sort();
}

function tokens(text: string): { image: string; line: number }[] {
  const file = new SourceFile("", text);
  return cnnLexer.tokenize(text).tokens.map((t) => ({ image: t.image, line: file.position(t.startOffset).line }));
}

/** The formatted text, after checking idempotence, comments and tokens. */
function formatChecked(source: string, path: string): string {
  const formatted = formatSource(source, path).text;
  expect(formatted, path).toBeDefined();
  expect(formatSource(formatted!, path).text, `idempotent: ${path}`).toBe(formatted);
  expect(comments(formatted!), `comments: ${path}`).toEqual(comments(source));
  expect(tokens(formatted!).map((t) => t.image), `tokens: ${path}`).toEqual(tokens(source).map((t) => t.image));
  return formatted!;
}

const lineComment = /\(line (\d+)\)/g;

/** Each layer's source line before and after formatting, as `before->after`. */
function layerLineMoves(source: string, formatted: string): Set<string> {
  const lines = (text: string): number[] => {
    const analysis = analyze(text);
    return analysis.checked!.models.flatMap((m) => m.layers.map((l) => analysis.file.position(l.span.start).line));
  };
  const after = lines(formatted);
  return new Set(lines(source).map((line, i) => `${line}->${after[i]}`));
}

// Modules are compared before prettier (`format: false`), which is a pure function of its input
// and takes 20 times longer than the compiler itself.
async function expectSameModule(source: string, formatted: string, path: string): Promise<void> {
  const format = false;
  const [a, b] = [(await compile(source, { path, format })).code!, (await compile(formatted, { path, format })).code!];
  expect(a, path).toBeDefined();
  expect(b.replace(lineComment, "(line _)"), path).toBe(a.replace(lineComment, "(line _)"));
  // the n-th line comment of each module names the same layer, at its line in that module's source
  const moves = layerLineMoves(source, formatted);
  const [linesA, linesB] = [[...a.matchAll(lineComment)].map((m) => m[1]), [...b.matchAll(lineComment)].map((m) => m[1])];
  expect(linesA.length).toBeGreaterThan(0);
  const unexplained = linesA.map((line, i) => `${line}->${linesB[i]}`).filter((move) => !moves.has(move));
  expect(unexplained, path).toEqual([]);
}

/** Adds a trailing comment to some lines, a comment line before others, and breaks some argument lists after a comma with a comment. */
function withComments(text: string, seed: number): string {
  let n = seed;
  const next = (): number => (n = (n * 1103515245 + 12345) % 2 ** 31) % 6;
  return text
    .split(/\r?\n/)
    .map((line, i) => {
      const roll = next();
      if (roll === 0) return `${line}   # trailing ${i}`;
      if (roll === 1) return `  // about line ${i}\n${line}`;
      if (roll === 2 && line.includes(", ")) return line.replace(", ", `, # inside ${i}\n      `);
      if (roll === 3) return `${line}\n\n\n`;
      return line;
    })
    .join("\n");
}

/** Spaces changed (none next to punctuation, several elsewhere, other indentation); lines kept,
 *  and comments at their columns, so the formatter's alignment puts them back. */
function mangled(text: string): string {
  return text
    .split("\n")
    .map((line, i) => {
      const at = line.search(/#|\/\//);
      const code = at < 0 ? line : line.slice(0, at).trimEnd();
      const squeezed = code.trim().replace(/ *([(),:\[\]]) */g, "$1");
      const spaced = at < 0 ? `${" ".repeat(i % 5)}${squeezed.replace(/ +/g, () => " ".repeat(1 + (i % 3)))}` : squeezed;
      return at < 0 ? spaced : `${spaced.padEnd(at)}${line.slice(at)}`;
    })
    .join("\n");
}

describe("cnnc fmt: the layout", () => {
  it("indents, spaces, breaks long pipelines, keeps and aligns comments, collapses blank lines", () => {
    const messy = [
      "",
      "",
      "# header comment",
      "model   M{input x:[28,28,1]   # the input",
      "  # about a",
      "",
      "",
      "  a=x|>conv2d(6,kernel:5,padding:same)|>relu|>maxpool(2)|>conv2d(16,kernel:5,stride:[1,1],dilation:1,bias:true)|>relu  // long",
      "  b = a |> flatten |> dense( 10 , # units",
      "     bias: false) as head",
      "     |> softmax",
      "",
      "  output y = b",
      "  train{loss softmax_cross_entropy(b)",
      "  optimizer sgd(lr:0.01,momentum:0.9,schedule:step(every:10,gamma:0.5))   # opt",
      "  # end of train",
      "",
      "  }",
      "}",
      "model N { input x: [4]",
      " y = add(x, x) |> leaky_relu(alpha: -0.5) }   # trailing",
      "# eof",
      "",
      "",
      ""
    ].join("\n");
    const expected = [
      "# header comment",
      "model M {",
      "  input x: [28, 28, 1]        # the input",
      "  # about a",
      "",
      "  a = x",
      "    |> conv2d(6, kernel: 5, padding: same)",
      "    |> relu",
      "    |> maxpool(2)",
      "    |> conv2d(16, kernel: 5, stride: [1, 1], dilation: 1, bias: true)",
      "    |> relu  // long",
      "  b = a |> flatten |> dense(10,   # units",
      "    bias: false) as head",
      "    |> softmax",
      "",
      "  output y = b",
      "  train {",
      "    loss softmax_cross_entropy(b)",
      "    optimizer sgd(lr: 0.01, momentum: 0.9, schedule: step(every: 10, gamma: 0.5))  # opt",
      "    # end of train",
      "  }",
      "}",
      "model N {",
      "  input x: [4]",
      "  y = add(x, x) |> leaky_relu(alpha: -0.5)",
      "}                                             # trailing",
      "# eof",
      ""
    ].join("\n");
    expect(formatSource(messy).text).toBe(expected);
  });

  it("drops a blank line right after `{` but keeps one after a comment there", () => {
    const source = "model M {\n\n  # about M\n\n  input x: [4]\n  y = x |> relu\n}\n";
    expect(formatSource(source).text).toBe("model M {\n  # about M\n\n  input x: [4]\n  y = x |> relu\n}\n");
  });
});

describe("cnnc fmt: the examples", () => {
  for (const path of examples) {
    it(`${path.slice(root.length)}: already formatted`, () => {
      const source = readFileSync(path, "utf8");
      expect(formatChecked(source, path)).toBe(source);
    });
  }

  it("a whitespace-mangled example formats back to itself and compiles to the same bytes", async () => {
    for (const path of examples.filter((p) => !p.endsWith("broken.cnn"))) {
      const source = readFileSync(path, "utf8");
      const messy = mangled(source);
      expect(messy).not.toBe(source);
      const formatted = formatChecked(messy, path);
      expect(formatted).toBe(source);
      const [a, b] = [await compile(messy, { path, format: false }), await compile(formatted, { path, format: false })];
      expect(a.code).toBeDefined();
      expect(b.code === a.code, path).toBe(true);
    }
  });
});

describe("cnnc fmt: the fixtures", () => {
  it(`formats every fixture without a syntax error, and refuses the others with their errors (${fixtures.length})`, () => {
    let formatted = 0;
    for (const path of fixtures) {
      const source = readFileSync(path, "utf8");
      const analysis = analyze(source, path);
      const syntaxErrors = analysis.diagnostics.filter((d) => d.code.startsWith("CNN1"));
      const result = formatSource(source, path);
      if (syntaxErrors.length > 0) {
        expect(result.text, path).toBeUndefined();
        expect(result.diagnostics, path).toEqual(syntaxErrors);
        continue;
      }
      const text = formatChecked(source, path);
      // same diagnostics, moved with their tokens; same summary when it checks
      expect(analyze(text, path).diagnostics.map((d) => [d.code, d.message]), path).toEqual(analysis.diagnostics.map((d) => [d.code, d.message]));
      formatted++;
    }
    expect(formatted).toBeGreaterThan(40);
    expect(fixtures.length - formatted).toBeGreaterThan(10);
  });
});

describe("cnnc fmt: generated programs with comments everywhere", () => {
  const sources = fc.sample(program, { numRuns: fuzzCount, seed: 9001 }).map((text, i) => withComments(text, i + 1));

  it(`${fuzzCount} programs: idempotent, comments kept, same diagnostics`, () => {
    let checked = 0;
    for (const source of sources) {
      const analysis = analyze(source);
      if (analysis.diagnostics.some((d) => d.code.startsWith("CNN1"))) throw new Error(`a generated program with a syntax error:\n${source}`);
      const text = formatChecked(source, "<generated>");
      expect(analyze(text).diagnostics.map((d) => d.message)).toEqual(analysis.diagnostics.map((d) => d.message));
      if (analysis.checked) checked++;
    }
    expect(checked).toBeGreaterThan(fuzzCount / 3);
  });

  it(`${compileCount} of them compile to the same module as before formatting`, { timeout: 60_000 }, async () => {
    const valid = sources.filter((s) => analyze(s).checked !== undefined).slice(0, compileCount);
    expect(valid).toHaveLength(compileCount);
    for (const source of valid) await expectSameModule(source, formatSource(source).text!, "gen.cnn");
  });

  it("an example with comments everywhere compiles to the same module, line numbers mapped", async () => {
    const path = join(root, "examples", "lenet.cnn");
    const source = withComments(readFileSync(path, "utf8"), 7);
    await expectSameModule(source, formatChecked(source, path), path);
  });
});

describe("cnnc fmt: the command", () => {
  const work = mkdtempSync(join(tmpdir(), "cnnc-fmt-"));
  const run = async (args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> => {
    let out = "";
    let err = "";
    const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), errColor: false, stdin: async () => new TextEncoder().encode(stdin) };
    const code = await main(["fmt", ...args], io);
    return { code, out, err };
  };
  const messy = "model M{input x:[4]\n y=x|>dense(2)}\n";
  const tidy = "model M {\n  input x: [4]\n  y = x |> dense(2)\n}\n";
  const broken = "model M {\n  input x [4]\n}\n";
  const file = (name: string, text: string): string => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };

  it("prints the formatted file", async () => {
    expect(await run([file("p.cnn", messy)])).toEqual({ code: 0, out: tidy, err: "" });
  });

  it("--check lists the files that would change and exits 1; 0 when all are formatted", async () => {
    const a = file("a.cnn", messy);
    const b = file("b.cnn", tidy);
    expect(await run(["--check", a, b])).toEqual({ code: 1, out: `${a}\n`, err: "" });
    expect(await run(["--check", b])).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(a, "utf8")).toBe(messy);
  });

  it("--write rewrites in place, keeping the file's mode and leaving no temporary file", async () => {
    const path = file("w.cnn", messy);
    chmodSync(path, 0o640);
    expect(await run(["-w", path])).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(path, "utf8")).toBe(tidy);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(work).filter((f) => f.includes("cnnc-tmp"))).toEqual([]);
  });

  it("refuses a file with syntax errors, prints them, and leaves the file alone", async () => {
    const path = file("broken.cnn", broken);
    const result = await run(["--write", path]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("error[CNN1002]: expected ':' after the input name");
    expect(result.err).toContain("is left as it is: it has syntax errors");
    expect(readFileSync(path, "utf8")).toBe(broken);
  });

  it("formats stdin to stdout with '-'", async () => {
    expect(await run(["-"], messy)).toEqual({ code: 0, out: tidy, err: "" });
  });

  it("rejects --check with --write, and '-' with other files", async () => {
    expect((await run(["--check", "--write", "x.cnn"])).code).toBe(2);
    expect((await run(["-", "x.cnn"])).code).toBe(2);
  });
});
