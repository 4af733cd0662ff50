// The parser: AST shapes and spans for every construct, syntax errors and their recovery,
// input bounds, and a fuzz test that no input string makes parse() throw.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cstTypesPath, generateCstTypes } from "../grammar/cstTypes.js";
import { syntaxCodes } from "../src/diagnostics/syntax.js";
import type { BindingStmt, Call, ModelDecl, NumberValue, Program, Stmt, Value } from "../src/syntax/ast.js";
import { syntaxLimits } from "../src/syntax/limits.js";
import { parse } from "../src/syntax/parse.js";
import { analyze } from "../src/analyze.js";
import { SourceFile, type Span } from "../src/source/span.js";

const lenet = `# LeNet-5 for 28x28 grayscale digits.
model LeNet {
  input image: [28, 28, 1]                # height, width, channels

  features = image
    |> conv2d(6, kernel: 5, padding: same) |> relu
    |> maxpool(2)
    |> conv2d(16, kernel: 5) |> relu
    |> maxpool(2)

  logits: [10] = features
    |> flatten
    |> dense(120) |> relu
    |> dense(84) |> relu
    |> dense(10)

  output probs = logits |> softmax

  train {
    loss softmax_cross_entropy(logits)
    optimizer sgd(lr: 0.01, momentum: 0.9)
  }
}
`;

function parseText(text: string) {
  return parse(new SourceFile("test.cnn", text));
}

function parseOk(text: string): Program {
  const result = parseText(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.program).toBeDefined();
  return result.program!;
}

function onlyModel(text: string): ModelDecl {
  const program = parseOk(text);
  expect(program.models).toHaveLength(1);
  return program.models[0]!;
}

/** The statements of `model M { <body> }`. */
function stmtsOf(body: string): readonly Stmt[] {
  return onlyModel(`model M {\n${body}\n}`).stmts;
}

function binding(body: string): BindingStmt {
  const stmt = stmtsOf(body)[0]!;
  expect(stmt.kind).toBe("binding");
  return stmt as BindingStmt;
}

/** The first argument value of the first call in `x = a |> <call>`. */
function argValue(call: string): Value {
  return binding(`x = a |> ${call}`).pipeline.calls[0]!.args[0]!.value;
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

function codes(text: string): string[] {
  return parseText(text).diagnostics.map((d) => d.code);
}

describe("the LANGUAGE.md example", () => {
  const model = onlyModel(lenet);

  it("has the model name and the statements in order", () => {
    expect(model.name.name).toBe("LeNet");
    expect(model.stmts.map((s) => s.kind)).toEqual(["input", "binding", "binding", "output", "train"]);
  });

  it("parses the input shape", () => {
    const input = model.stmts[0]!;
    if (input.kind !== "input") throw new Error("not an input");
    expect(input.name.name).toBe("image");
    expect(input.shape.dims.map((d) => d.value)).toEqual([28, 28, 1]);
    expect(slice(lenet, input.span)).toBe("input image: [28, 28, 1]");
  });

  it("parses a multi-line pipeline with its calls and arguments", () => {
    const features = model.stmts[1] as BindingStmt;
    expect(features.pipeline.source).toMatchObject({ kind: "ref", name: { name: "image" } });
    expect(features.pipeline.calls.map((c) => c.callee.name)).toEqual(["conv2d", "relu", "maxpool", "conv2d", "relu", "maxpool"]);
    const conv = features.pipeline.calls[0]!;
    expect(conv.args.map((a) => a.name?.name)).toEqual([undefined, "kernel", "padding"]);
    expect(conv.args[2]!.value).toMatchObject({ kind: "name", name: "same" });
    expect(slice(lenet, conv.span)).toBe("conv2d(6, kernel: 5, padding: same)");
    expect(slice(lenet, features.span)).toMatch(/^features = image\n[\s\S]*\|> maxpool\(2\)$/);
  });

  it("keeps the shape assertion of a binding", () => {
    const logits = model.stmts[2] as BindingStmt;
    expect(logits.shape?.dims.map((d) => d.value)).toEqual([10]);
    expect(slice(lenet, logits.shape!.span)).toBe("[10]");
  });

  it("parses the output and the train section", () => {
    const [, , , output, train] = model.stmts;
    expect(output).toMatchObject({ kind: "output", name: { name: "probs" } });
    if (train?.kind !== "train") throw new Error("not a train section");
    expect(train.entries.map((e) => [e.kind, e.call.callee.name])).toEqual([
      ["loss", "softmax_cross_entropy"],
      ["optimizer", "sgd"],
    ]);
    expect(slice(lenet, train.entries[1]!.span)).toBe("optimizer sgd(lr: 0.01, momentum: 0.9)");
    expect(slice(lenet, model.span)).toBe(lenet.slice(lenet.indexOf("model"), lenet.lastIndexOf("}") + 1));
  });

  it("parses the same program written on one line", () => {
    const oneLine = lenet.replace(/#.*$/gm, "").replace(/\s+/g, " ");
    const strip = (m: ModelDecl) => JSON.stringify(m, (key, value) => (key === "span" ? undefined : value));
    expect(strip(onlyModel(oneLine))).toBe(strip(model));
  });
});

describe("constructs", () => {
  it("tells a bare name from a call as the pipeline source", () => {
    expect(binding("x = a").pipeline.source).toMatchObject({ kind: "ref", name: { name: "a" } });
    const source = binding("x = add(a, b) |> relu").pipeline.source as Call;
    expect(source.kind).toBe("call");
    expect(source.args.map((a) => a.value)).toMatchObject([
      { kind: "name", name: "a" },
      { kind: "name", name: "b" },
    ]);
  });

  it("records whether a call has parentheses", () => {
    const calls = binding("x = a |> relu |> relu() |> dense(3)").pipeline.calls;
    expect(calls.map((c) => c.hasParens)).toEqual([false, true, true]);
    expect(calls[1]!.args).toEqual([]);
  });

  it("parses `as` names on calls and on the source", () => {
    const text = "x = add(a, b) as sum |> dense(3) as head |> relu";
    const stmt = binding(text);
    expect((stmt.pipeline.source as Call).as?.name).toBe("sum");
    expect(stmt.pipeline.calls.map((c) => c.as?.name)).toEqual(["head", undefined]);
    const source = `model M {\n${text}\n}`;
    const reparsed = onlyModel(source).stmts[0] as BindingStmt;
    expect(slice(source, reparsed.pipeline.calls[0]!.span)).toBe("dense(3) as head");
  });

  it("parses both forms of output", () => {
    const [named, bound] = stmtsOf("output y\noutput z: [3] = y |> softmax");
    expect(named).toEqual({ kind: "output", name: expect.objectContaining({ name: "y" }), span: expect.anything() });
    expect(bound).toMatchObject({ kind: "output", name: { name: "z" }, shape: { dims: [{ value: 3 }] } });
    expect(bound?.kind === "output" && bound.pipeline?.calls[0]?.callee.name).toBe("softmax");
  });

  it("parses numbers as written", () => {
    const cases: [string, number, boolean][] = [
      ["28", 28, true],
      ["0.01", 0.01, false],
      ["1e-3", 0.001, false],
      [".5", 0.5, false],
      ["2.", 2, false],
      ["1E+5", 100000, false],
      ["-1", -1, true],
      ["-2.5e2", -250, false],
    ];
    for (const [text, value, isInt] of cases) {
      const number = argValue(`f(${text})`) as NumberValue;
      expect(number).toMatchObject({ kind: "number", value, text, isInt });
    }
  });

  it("spans a negative number from its minus sign", () => {
    const text = "model M { x = a |> leaky_relu(alpha: - 1) }";
    const arg = (onlyModel(text).stmts[0] as BindingStmt).pipeline.calls[0]!.args[0]!;
    expect(slice(text, arg.value.span)).toBe("- 1");
    expect(slice(text, arg.span)).toBe("alpha: - 1");
  });

  it("parses shapes and calls as values", () => {
    expect(argValue("conv2d(kernel: [3, 5])")).toMatchObject({ kind: "shape", dims: [{ value: 3 }, { value: 5 }] });
    const schedule = argValue("sgd(schedule: step(every: 10, gamma: 0.5))") as Call;
    expect(schedule).toMatchObject({ kind: "call", callee: { name: "step" }, hasParens: true });
    expect(schedule.args.map((a) => [a.name?.name, (a.value as NumberValue).value])).toEqual([
      ["every", 10],
      ["gamma", 0.5],
    ]);
    expect(argValue("f(g())")).toMatchObject({ kind: "call", args: [], hasParens: true });
  });

  it("treats words that start with a keyword as names", () => {
    const stmts = stmtsOf("input input2: [4]\nmodels = input2 |> trainer(asx: outputs)");
    expect(stmts[0]).toMatchObject({ kind: "input", name: { name: "input2" } });
    const models = stmts[1] as BindingStmt;
    expect(models.name.name).toBe("models");
    expect(models.pipeline.calls[0]).toMatchObject({ callee: { name: "trainer" }, args: [{ name: { name: "asx" } }] });
  });

  it("skips both kinds of comments", () => {
    const stmts = stmtsOf("# a comment\ninput x: [4] // another\n// x = nothing\ny = x # trailing |> relu");
    expect(stmts.map((s) => s.kind)).toEqual(["input", "binding"]);
    expect((stmts[1] as BindingStmt).pipeline.calls).toEqual([]);
  });

  it("parses several models, an empty model and an empty train section", () => {
    const program = parseOk("model A { }\nmodel B { input x: [1] train { } }");
    expect(program.models.map((m) => m.name.name)).toEqual(["A", "B"]);
    expect(program.models[0]!.stmts).toEqual([]);
    expect(program.models[1]!.stmts[1]).toMatchObject({ kind: "train", entries: [] });
  });

  it("accepts \\r\\n line breaks and a byte-order mark", () => {
    expect(parseOk("\uFEFFmodel A {\r\n  input x: [4]\r\n  y = x\r\n    |> relu\r\n}\r\n").models[0]!.stmts).toHaveLength(2);
  });

  it("gives every node a span inside the source", () => {
    const spans: Span[] = [];
    JSON.stringify(parseOk(lenet), (key, value) => {
      if (key === "span") spans.push(value as Span);
      return value;
    });
    expect(spans.length).toBeGreaterThan(50);
    for (const s of spans) expect(0 <= s.start && s.start <= s.end && s.end <= lenet.length).toBe(true);
  });
});

describe("syntax errors", () => {
  it("words an unexpected token with what was expected", () => {
    const [d] = parseText("model M {\n  input x: [4]\n  y |> relu\n}").diagnostics;
    expect(d).toMatchObject({ code: "CNN1004", message: "expected ':' or '=' after the binding name, found '|>'" });
  });

  it("reports unexpected characters and goes on lexing", () => {
    const result = parseText("model M {\n  input x: [4]\n  y = x |> relu @\n  z = y |> f(é)\n}");
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["CNN1001", "unexpected character '@'"],
      ["CNN1001", "unexpected character 'é'"],
    ]);
  });

  it("shows control characters escaped", () => {
    const [d] = parseText("model M { \u0000 }").diagnostics;
    expect(d).toMatchObject({ code: "CNN1001", message: "unexpected character '\\u{0}'", span: { start: 10, end: 11 } });
  });

  it("reports three independent errors, once each", () => {
    const text = ["model M {", "  input x [4]", "  y = x |> dense(3 4)", "  z = y |> relu", "  w = z |>", "}"].join("\n");
    const diagnostics = parseText(text).diagnostics;
    const file = new SourceFile("t", text);
    expect(diagnostics.map((d) => file.position(d.span.start).line)).toEqual([2, 3, 6]);
  });

  it("reports an unclosed brace at the brace, with a note at the end of file", () => {
    const text = "model M {\n  input x: [4]\n  y = x |> relu\n";
    const [d, ...rest] = parseText(text).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "CNN1003", message: "unclosed '{'", span: { start: 8, end: 9 } });
    expect(d!.notes[0]).toMatchObject({ message: "expected '}' before end of file", span: { start: text.trimEnd().length } });
  });

  it("reports an unclosed parenthesis when the next statement starts", () => {
    const text = "model M {\n  y = x |> f(1, 2\n  z = y\n}";
    const [d, ...rest] = parseText(text).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "CNN1003", message: "unclosed '('" });
    expect(slice(text, d!.span)).toBe("(");
  });

  it("rejects fractions in shapes", () => {
    expect(parseText("model M { input x: [2.5, 1e3] }").diagnostics.map((d) => d.message)).toEqual([
      "shape dimensions are integers, found '2.5'",
    ]);
  });

  it("rejects an empty file and a file of comments", () => {
    expect(codes("")).toEqual(["CNN1007"]);
    expect(codes("# nothing\n// here\n")).toEqual(["CNN1007"]);
  });

  it("reports tokens outside any model", () => {
    expect(parseText("model M { } }").diagnostics.map((d) => d.message)).toEqual(["expected 'model' or end of file, found '}'"]);
    expect(parseText("x = 1").diagnostics.map((d) => d.message)).toEqual(["expected 'model', found 'x'"]);
  });

  it("still returns the statements it could parse", () => {
    const result = parseText("model M {\n  input x: [4]\n  y = x |> f(1 2)\n  z = x |> relu\n}");
    expect(result.diagnostics).toHaveLength(1);
    const names = result.program?.models[0]?.stmts.map((s) => s.kind !== "train" && s.name.name);
    expect(names).toContain("x");
    expect(names).toContain("z");
  });

  it("has a test for every syntax code", () => {
    // the codes exercised by this file; the fixtures show each one rendered
    const exercised = new Set([
      ...codes("model M { @ }"),
      ...codes("model M { x = f(1 2) }"),
      ...codes("model M {"),
      ...codes("model M { x |> f }"),
      ...codes(`model M { x = f(${"1".repeat(syntaxLimits.maxNumberLength + 1)}) }`),
      ...codes(`model M { x = ${"f(".repeat(syntaxLimits.maxNesting + 1)} }`),
      ...codes(""),
      ...codes(" ".repeat(syntaxLimits.maxSourceLength + 1)),
      ...codes(`model M {\n${"x = f(1 2)\n".repeat(syntaxLimits.maxErrors + 1)}}`),
      ...codes("model M { input x: [1.5] }"),
      ...codes("model M { inptu x: [4] }"),
      ...codes("a ".repeat(syntaxLimits.maxTokens + 1)),
    ]);
    // CNN1013 counts what is left over after maxDiagnostics; the checker's errors reach it
    exercised.add(analyze(manyUnknownNames(syntaxLimits.maxDiagnostics + 50)).diagnostics.at(-1)!.code);
    expect([...exercised].sort()).toEqual([...syntaxCodes]);
  });
});

function manyUnknownNames(n: number): string {
  return `model M {\n  input x: [4]\n${Array.from({ length: n }, (_, i) => `  y${i} = q${i} |> relu\n`).join("")}}\n`;
}

describe("limits on what is reported", () => {
  it("refuses more tokens than the limit before lexing them, with one diagnostic", () => {
    const parsed = parse(new SourceFile("t.cnn", "a ".repeat(syntaxLimits.maxTokens + 1)));
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([["CNN1012", "source has too many tokens (100,001, the limit is 100,000)"]]);
    // comments and white space are no tokens
    expect(parse(new SourceFile("t.cnn", `# ${"a ".repeat(syntaxLimits.maxTokens)}\nmodel M { input x: [1] }`)).diagnostics).toEqual([]);
  });

  it("shows at most maxDiagnostics, then one line that counts the rest", () => {
    const diagnostics = analyze(manyUnknownNames(syntaxLimits.maxDiagnostics + 50)).diagnostics;
    expect(diagnostics).toHaveLength(syntaxLimits.maxDiagnostics + 1);
    expect(diagnostics.at(-1)).toMatchObject({ code: "CNN1013", severity: "error", message: "and 50 more diagnostics, not shown (only the first 100 are)" });
    expect(analyze(manyUnknownNames(syntaxLimits.maxDiagnostics)).diagnostics.map((d) => d.code)).not.toContain("CNN1013");
  });

  it("collapses a run of bad characters, white space between them included, into one diagnostic", () => {
    const parsed = parse(new SourceFile("b.cnn", "model M {\n  input x: [4] @ @ \u00e9 @\n  y = x |> relu ~\n}"));
    expect(parsed.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["CNN1001", "unexpected characters '@ @ \u00e9 @'"],
      ["CNN1001", "unexpected character '~'"],
    ]);
  });

  it("stops parsing after many errors, still saying there were too many", () => {
    const parsed = parse(new SourceFile("n.cnn", "model M { ".repeat(5000)));
    const codes = parsed.diagnostics.map((d) => d.code);
    expect(codes.at(-1)).toBe("CNN1009");
    expect(codes.length).toBeLessThanOrEqual(syntaxLimits.maxErrors + 1);
  });
});

describe("misspelt keywords", () => {
  const one = (text: string) => parse(new SourceFile("k.cnn", text)).diagnostics.map((d) => [d.code, d.help]);

  it("gives one message with the keyword for each misspelt one", () => {
    expect(one("model M {\n  inptu x: [4]\n  y = x |> dense(2)\n}")).toEqual([["CNN1011", "did you mean 'input'?"]]);
    expect(one("model M {\n  input x: [4]\n  y = x |> dense(2)\n  trian {\n    loss mse(y)\n    optimizer sgd(lr: 0.1)\n  }\n}")).toEqual([
      ["CNN1011", "did you mean 'train'?"],
    ]);
    expect(one("model M {\n  input x: [4]\n  y = x |> dense(2)\n  train {\n    los mse(y)\n    optimizer sgd(lr: 0.1)\n  }\n}")).toEqual([
      ["CNN1011", "did you mean 'loss'?"],
    ]);
    expect(one("model M {\n  input x: [4]\n  y = x |> dense(2) AS head\n}")).toEqual([["CNN1011", "did you mean 'as'?"]]);
    expect(one("Model M {\n  input x: [4]\n  y = x |> dense(2)\n}")).toEqual([["CNN1011", "did you mean 'model'?"]]);
  });

  it("parses on as if the keyword were written, so the AST is whole", () => {
    const parsed = parse(new SourceFile("k.cnn", "model M {\n  Input x: [4]\n  y = x |> dense(2) sa head\n  train {\n    los mse(y)\n    optimiser sgd(lr: 0.1)\n  }\n}"));
    const model = parsed.program!.models[0]!;
    expect(model.stmts.map((s) => s.kind)).toEqual(["input", "binding", "train"]);
    const train = model.stmts[2] as unknown as { entries: { kind: string }[] };
    expect(train.entries.map((e) => e.kind)).toEqual(["loss", "optimizer"]);
    expect((model.stmts[1] as unknown as { pipeline: { calls: { as?: { name: string } }[] } }).pipeline.calls[0]!.as?.name).toBe("head");
  });

  it("leaves names that are not near a keyword, and valid names, alone", () => {
    expect(one("model M {\n  frobnicate x: [4]\n}").map(([c]) => c)).toEqual(["CNN1004"]);
    expect(one("model M {\n  input x: [4]\n  inputs = x |> dense(2)\n  trains = inputs |> relu\n}")).toEqual([]);
  });
});

describe("bounds", () => {
  it("accepts nesting up to the limit and rejects one level more", () => {
    const nested = (depth: number) => `model M { x = a |> ${"f(".repeat(depth)}${")".repeat(depth)} }`;
    expect(codes(nested(syntaxLimits.maxNesting))).toEqual([]);
    expect(codes(nested(syntaxLimits.maxNesting + 1))).toEqual(["CNN1006"]);
    expect(codes(nested(30_000))).toEqual(["CNN1006"]);
    // past the token limit, that comes first
    expect(codes(nested(100_000))).toEqual(["CNN1012"]);
  });

  it("rejects a source over the length limit without lexing it", () => {
    const result = parseText("@".repeat(syntaxLimits.maxSourceLength + 1));
    expect(result.program).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["CNN1008"]);
  });

  it("rejects an over-long number literal", () => {
    const digits = "9".repeat(syntaxLimits.maxNumberLength + 1);
    expect(parseText(`model M { x = f(${digits}) }`).diagnostics.map((d) => d.message)).toEqual([
      `number literal is too long (${digits.length} characters, the limit is ${syntaxLimits.maxNumberLength})`,
    ]);
  });

  it("stops after the error limit with one line for the rest", () => {
    const body = Array.from({ length: syntaxLimits.maxErrors + 10 }, (_, i) => `  y${i} = x |> f(1 2)`).join("\n");
    const diagnostics = parseText(`model M {\n${body}\n}`).diagnostics;
    expect(diagnostics).toHaveLength(syntaxLimits.maxErrors + 1);
    expect(diagnostics[diagnostics.length - 1]!.code).toBe("CNN1009");
  });

  it("parses a long program in reasonable time", () => {
    const text = lenet.replace(/LeNet/g, "N").repeat(200);
    const start = performance.now();
    const result = parseText(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.program?.models).toHaveLength(200);
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});

describe("grammar/cst.ts", () => {
  it("matches the grammar it was generated from", () => {
    expect(readFileSync(cstTypesPath, "utf8")).toBe(generateCstTypes());
  });
});

describe("fuzz: parse never throws", () => {
  const numRuns = Number(process.env["FUZZ_COUNT"] ?? 2000);
  const tokens = [
    "model",
    "input",
    "output",
    "train",
    "loss",
    "optimizer",
    "as",
    "x",
    "conv2d",
    "12",
    "0.5",
    "-",
    "|>",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    ",",
    "=",
    "\n",
    " ",
    "#c\n",
    "@",
    "\u0000",
    "é",
  ];

  // every span inside the text, and a program whenever there is no error
  function checkResult(text: string): void {
    const result = parseText(text);
    for (const d of result.diagnostics) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(text.length);
      expect(d.message.length).toBeGreaterThan(0);
    }
    if (result.diagnostics.length === 0) expect(result.program).toBeDefined();
    expect(result.diagnostics.length).toBeLessThanOrEqual(syntaxLimits.maxErrors + 1);
  }

  it("on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkResult), { numRuns });
  });

  it("on sequences of the language's tokens", () => {
    const soup = fc.array(fc.constantFrom(...tokens), { maxLength: 60 }).map((parts) => parts.join(" "));
    fc.assert(fc.property(soup, checkResult), { numRuns });
  });

  it("on truncated and mutated versions of the example", () => {
    const mutated = fc.tuple(fc.nat(lenet.length), fc.nat(lenet.length), fc.constantFrom(...tokens, "")).map(([cut, at, insert]) => {
      const truncated = lenet.slice(0, Math.max(cut, 1));
      const position = Math.min(at, truncated.length);
      return truncated.slice(0, position) + insert + truncated.slice(position + 1);
    });
    fc.assert(fc.property(mutated, checkResult), { numRuns });
  });
});
