// `cnnc lsp`, spawned as an editor runs it and driven over stdio by vscode-languageserver-protocol:
// diagnostics equal to `cnnc check --json`'s, hover, inlay hints, definition, references, rename,
// completion, formatting, symbols, incremental edits, and the fuzz corpus replayed through
// didChange without a crash. LSP_FUZZ_COUNT sets how many fuzz inputs are replayed (default 150).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompletionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Location,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyze } from "../src/analyze.js";
import { main } from "../src/cli/main.js";
import type { CliIo } from "../src/cli/io.js";
import type { JsonDiagnostic } from "../src/diagnostics/json.js";
import { formatSource } from "../src/fmt/format.js";
import { families } from "./fuzz/families.js";
import { startServer, type Server } from "./helpers/lsp-client.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const examplesDir = join(root, "examples");
const fixturesDir = join(root, "test", "fixtures");
const lenetPath = join(examplesDir, "lenet.cnn");
const lenetUri = pathToFileURL(lenetPath).href;
const lenet = readFileSync(lenetPath, "utf8");
const fuzzCount = Number(process.env["LSP_FUZZ_COUNT"] ?? 150);

const sources = [
  ...readdirSync(examplesDir)
    .filter((f) => f.endsWith(".cnn"))
    .map((f) => join(examplesDir, f)),
  ...readdirSync(fixturesDir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith("input.cnn"))
    .map((p) => join(fixturesDir, p)),
].sort();

/** `cnnc check --json <path>`'s diagnostics, from the CLI's own main(). */
async function cliDiagnostics(path: string): Promise<JsonDiagnostic[]> {
  let out = "";
  const io: CliIo = { out: (t) => void (out += t), err: () => undefined, errColor: false, stdin: async () => new Uint8Array() };
  await main(["check", path, "--json"], io);
  return (JSON.parse(out) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

/** The LSP form we expect of one CLI diagnostic: 0-based ranges, notes and help as the server words them. */
function expectedLsp(d: JsonDiagnostic, uri: string): object {
  const extra = [...d.notes.filter((n) => n.line === undefined).map((n) => `note: ${n.message}`), ...(d.help ? [`help: ${d.help}`] : [])];
  const related = d.notes
    .filter((n) => n.line !== undefined)
    .map((n) => ({ message: n.message, location: { uri, range: { start: { line: n.line! - 1, character: n.column! - 1 } } } }));
  return {
    code: d.code,
    severity: d.severity === "error" ? 1 : 2,
    message: [d.message, ...extra].join("\n"),
    range: { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } },
    ...(related.length > 0 ? { relatedInformation: related } : {}),
  };
}

/** The published diagnostic with related ranges cut to their start, as --json gives notes a start only. */
function comparable(d: LspDiagnostic): object {
  const { code, severity, message, range } = d;
  const related = d.relatedInformation?.map((r) => ({ message: r.message, location: { uri: r.location.uri, range: { start: r.location.range.start } } }));
  return { code, severity, message, range, ...(related ? { relatedInformation: related } : {}) };
}

/** Where `needle` (its `nth` occurrence, 0-based) starts in `text`, plus `shift` characters, as an LSP position. */
function positionOf(text: string, needle: string, shift = 0, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`'${needle}' not in the text`);
  return TextDocument.create("x", "cnn", 1, text).positionAt(offset + shift);
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("x", "cnn", 1, text), [...edits]);
}

const latencies: number[] = [];

async function request<R>(server: Server, type: { method: string }, params: unknown): Promise<R> {
  const start = performance.now();
  const result = (await server.connection.sendRequest(type.method, params)) as R;
  latencies.push(performance.now() - start);
  return result;
}

let server: Server;

beforeAll(async () => {
  server = await startServer();
  await server.open(lenetUri, lenet);
}, 60_000);

afterAll(async () => {
  // 50 ms is the aim for every answer on the examples; printed, not asserted (timing varies with the host)
  const sorted = [...latencies].sort((a, b) => a - b);
  if (sorted.length > 0) console.log(`lsp: ${sorted.length} requests, median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms`);
  expect(await server.stop()).toBe(0);
});

describe("cnnc lsp: diagnostics", () => {
  it(`publishes the same diagnostics as 'cnnc check --json' for every example and fixture (${sources.length})`, async () => {
    expect(sources.length).toBeGreaterThan(80);
    let withDiagnostics = 0;
    for (const path of sources) {
      const uri = pathToFileURL(path).href;
      const published = await server.open(uri, readFileSync(path, "utf8"));
      const cli = await cliDiagnostics(path);
      if (cli.length > 0) withDiagnostics++;
      expect(published.diagnostics.map(comparable), path).toEqual(cli.map((d) => expectedLsp(d, uri)));
    }
    expect(withDiagnostics).toBeGreaterThan(70);
  });

  it("follows incremental edits: an error appears and goes away", async () => {
    const uri = "file:///tmp/incremental.cnn";
    expect((await server.open(uri, lenet)).diagnostics).toEqual([]);
    const at = positionOf(lenet, "kernel: 5)");
    // `kernel` -> `kernal`: one character replaced
    const broken = await server.change(uri, 2, [{ range: { start: { line: at.line, character: at.character + 4 }, end: { line: at.line, character: at.character + 5 } }, text: "a" }]);
    expect(broken.diagnostics.map((d) => [d.code, d.range.start])).toEqual([["CNN2007", at]]);
    expect(broken.diagnostics[0]!.message).toContain("help: did you mean `kernel`?");
    const fixed = await server.change(uri, 3, [{ range: { start: { line: at.line, character: at.character + 4 }, end: { line: at.line, character: at.character + 5 } }, text: "e" }]);
    expect(fixed.diagnostics).toEqual([]);
  });
});

describe("cnnc lsp: hover", () => {
  const hoverAt = async (position: Position): Promise<string | undefined> => {
    const result = await request<{ contents: { value: string } } | null>(server, HoverRequest.type, { textDocument: { uri: lenetUri }, position });
    return result?.contents.value;
  };

  it("on a layer call: op as written, output shape, params and FLOPs as 'cnnc check' counts them, resolved args", async () => {
    const text = await hoverAt(positionOf(lenet, "conv2d(16", 2));
    const layer = analyze(lenet).checked!.models[0]!.layers.find((l) => l.name === "features.conv2d2")!;
    expect(layer.flops).toBe(481_600);
    expect(text).toContain("conv2d(16, kernel: 5) -> [10, 10, 16] · 2,416 params · 481,600 FLOPs");
    expect(text).toContain("layer `features.conv2d2`: [14, 14, 6] -> [10, 10, 16]");
    expect(text).toContain("resolved: filters: 16, kernel: 5, stride: 1, dilation: 1, padding: [0, 0, 0, 0] (top, bottom, left, right), bias: true");
    expect(text).toContain("`features.conv2d2.kernel` [5, 5, 6, 16], `features.conv2d2.bias` [16]");
  });

  it("on a layer with defaults given by `same`: the padding resolved per side", async () => {
    expect(await hoverAt(positionOf(lenet, "conv2d(6"))).toContain("padding: [2, 2, 2, 2]");
  });

  it("on tensor names, at their binding and at a use", async () => {
    expect(await hoverAt(positionOf(lenet, "features =", 3))).toContain("features: [5, 5, 16]");
    expect(await hoverAt(positionOf(lenet, "= features", 4))).toContain("output of layer `features.maxpool2`");
    expect(await hoverAt(positionOf(lenet, "image:"))).toContain("image: [28, 28, 1]");
    expect(await hoverAt(positionOf(lenet, "softmax_cross_entropy(logits)", 23))).toContain("logits: [10]");
  });

  it("in a file with errors: the shapes the checker could work out, and a note saying so", async () => {
    const uri = "file:///tmp/partial.cnn";
    const text = "model P {\n  input x: [8, 8, 3]\n  a = x |> conv2d(4, kernel: 3)\n  b = a |> dense(10)\n  c = b |> relu\n}\n";
    expect((await server.open(uri, text)).diagnostics.map((d) => d.code)).toEqual(["CNN3001"]);
    const at = async (needle: string, shift: number) =>
      (await request<{ contents: { value: string } } | null>(server, HoverRequest.type, { textDocument: { uri }, position: positionOf(text, needle, shift) }))
        ?.contents.value;
    const a = await at("a =", 0);
    expect(a).toContain("a: [6, 6, 4]");
    expect(a).toContain("as far as the checker got");
    expect(await at("conv2d", 1)).toContain("conv2d(4, kernel: 3) -> [6, 6, 4] · 112 params · 7,920 FLOPs");
    // `dense` failed, so `b` and what follows have no shape
    expect(await at("b =", 0)).toContain("shapes appear once the errors before this point are fixed");
    expect(await at("dense", 1)).toContain("dense(units, bias: true, init: glorot_uniform, trainable: true)");
    const hints = await request<{ label: string }[]>(server, InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    });
    expect(hints.map((h) => h.label)).toEqual([": [6, 6, 4]"]);
  });

  it("nothing on a number or a keyword", async () => {
    expect(await hoverAt(positionOf(lenet, "28, 28", 1))).toBeUndefined();
    expect(await hoverAt(positionOf(lenet, "model", 2))).toBeUndefined();
  });
});

describe("cnnc lsp: inlay hints", () => {
  const hints = () =>
    request<{ label: string; position: Position }[]>(server, InlayHintRequest.type, {
      textDocument: { uri: lenetUri },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    });

  it("show each binding's shape at the end of its pipeline, except where the binding states it", async () => {
    expect(await hints()).toEqual([
      { label: ": [5, 5, 16]", position: positionOf(lenet, "maxpool(2)", 10, 1), kind: 1, paddingLeft: false },
      { label: ": [10]", position: positionOf(lenet, "logits |> softmax", 17), kind: 1, paddingLeft: false },
    ]);
  });

  it("can be turned off and on through the configuration", async () => {
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { cnnc: { inlayHints: { enabled: false } } } });
    expect(await hints()).toEqual([]);
    await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { cnnc: { inlayHints: { enabled: true } } } });
    expect(await hints()).toHaveLength(2);
  });
});

describe("cnnc lsp: definition, references, rename", () => {
  const use = () => positionOf(lenet, "= features", 3);

  it("goes from a use to the binding", async () => {
    const location = await request<Location>(server, DefinitionRequest.type, { textDocument: { uri: lenetUri }, position: use() });
    expect(location).toEqual({ uri: lenetUri, range: { start: positionOf(lenet, "features ="), end: positionOf(lenet, "features =", 8) } });
  });

  it("finds every reference, with or without the declaration", async () => {
    const refs = (includeDeclaration: boolean) =>
      request<Location[]>(server, ReferencesRequest.type, { textDocument: { uri: lenetUri }, position: use(), context: { includeDeclaration } });
    expect((await refs(true)).map((l) => l.range.start)).toEqual([positionOf(lenet, "features ="), positionOf(lenet, "= features", 2)]);
    expect((await refs(false)).map((l) => l.range.start)).toEqual([positionOf(lenet, "= features", 2)]);
    const logits = await request<Location[]>(server, ReferencesRequest.type, {
      textDocument: { uri: lenetUri },
      position: positionOf(lenet, "logits:"),
      context: { includeDeclaration: true },
    });
    // the binding, `logits |> softmax`, and the loss
    expect(logits).toHaveLength(3);
  });

  it("renames a tensor everywhere in its model, and the result still checks", async () => {
    const prepared = await request<{ placeholder: string }>(server, PrepareRenameRequest.type, { textDocument: { uri: lenetUri }, position: use() });
    expect(prepared.placeholder).toBe("features");
    const edit = await request<WorkspaceEdit>(server, RenameRequest.type, { textDocument: { uri: lenetUri }, position: use(), newName: "feats" });
    const edits = edit.changes![lenetUri]!;
    expect(edits).toHaveLength(2);
    const renamed = applyEdits(lenet, edits);
    expect(renamed).toContain("feats = image");
    expect(renamed).toContain("logits: [10] = feats");
    expect(analyze(renamed).diagnostics).toEqual([]);
  });

  it("refuses a new name that is not a name, is a keyword, or is taken", async () => {
    const refused = (newName: string) =>
      request(server, RenameRequest.type, { textDocument: { uri: lenetUri }, position: use(), newName }).then(
        () => "accepted",
        (error: Error) => error.message,
      );
    expect(await refused("9lives")).toBe("'9lives' is not a name: a name is a letter or '_' followed by letters, digits or '_'");
    expect(await refused("output")).toBe("'output' is a keyword of the language");
    expect(await refused("logits")).toBe("model 'LeNet' already has a tensor named 'logits'");
    expect(await refused("nothing here")).toContain("is not a name");
  });
});

describe("cnnc lsp: completion", () => {
  let opened = 0;
  const complete = async (text: string, marker = "@"): Promise<CompletionItem[]> => {
    const uri = `file:///tmp/completion${++opened}.cnn`;
    const offset = text.indexOf(marker);
    const source = text.slice(0, offset) + text.slice(offset + marker.length);
    await server.open(uri, source, 1);
    const position = TextDocument.create(uri, "cnn", 1, source).positionAt(offset);
    return request<CompletionItem[]>(server, CompletionRequest.type, { textDocument: { uri }, position });
  };
  const labels = (items: readonly CompletionItem[]) => items.map((i) => i.label);
  const model = (body: string) => `model M {\n  input x: [8, 8, 3]\n  a = x |> relu\n${body}\n}\n`;

  it("offers every op with its signature after `|>`", async () => {
    const items = await complete(model("  b = a |> @"));
    expect(labels(items)).toEqual(expect.arrayContaining(["conv2d", "maxpool", "dense", "relu", "flatten", "add", "concat", "dropout"]));
    expect(items.find((i) => i.label === "conv2d")!.detail).toBe("conv2d(filters, kernel, stride: 1, padding: valid, dilation: 1, bias: true, groups: 1, init: glorot_uniform, trainable: true)");
    expect(labels(await complete(model("  b = a |> con@")))).toContain("conv2d");
  });

  it("offers the arguments not yet given inside an op's parentheses", async () => {
    const items = await complete(model("  b = a |> conv2d(4, @, padding: same)"));
    expect(labels(items)).toEqual(["filters:", "kernel:", "stride:", "dilation:", "bias:", "groups:", "init:", "trainable:"]);
    expect(items[1]!.insertText).toBe("kernel: ");
    expect(labels(await complete(model("  b = a |> dense(@")))).toEqual(["units:", "bias:", "init:", "trainable:"]);
  });

  it("offers the values of a choice argument", async () => {
    expect(labels(await complete(model("  b = a |> conv2d(4, 3, padding: @)")))).toEqual(["valid", "same"]);
    expect(labels(await complete(model("  b = a |> conv2d(4, 3, bias: f@)")))).toEqual(["true", "false"]);
    const train = model("  train {\n    loss mse(a)\n    optimizer sgd(lr: 0.1, schedule: @)\n  }");
    expect(labels(await complete(train))).toEqual(["none", "cosine", "step"]);
  });

  it("offers the tensor names in scope where a tensor goes", async () => {
    expect(labels(await complete(model("  b = a |> add(@)")))).toEqual(expect.arrayContaining(["x", "a"]));
    const source = await complete(model("  b = @"));
    expect(labels(source)).toEqual(["x", "a", "add", "concat"]);
    // `b = ` with no pipeline yet is a syntax error, so nothing is checked and no shape is known
    expect(source.find((i) => i.label === "a")!.detail).toBeUndefined();
    // with a check error only, the shapes known so far come along
    const checkError = await complete(model("  b = a |> dense(3)\n  c = add(@)"));
    expect(checkError.find((i) => i.label === "a")!.detail).toBe("[8, 8, 3]");
  });

  it("offers losses, optimizers and keywords where they go", async () => {
    expect(labels(await complete(model("  train {\n    loss @\n  }")))).toEqual(["softmax_cross_entropy", "mse", "binary_cross_entropy", "mae", "huber"]);
    expect(labels(await complete(model("  train {\n    optimizer @\n  }")))).toEqual(["sgd", "adam", "adamw", "rmsprop"]);
    expect(labels(await complete(model("  train {\n    @\n  }")))).toEqual(["loss", "optimizer"]);
    expect(labels(await complete(model("  @")))).toEqual(["input", "output", "train"]);
    expect(await complete(model("  # a comment @"))).toEqual([]);
  });
});

describe("cnnc lsp: formatting and symbols", () => {
  it("formats a document with cnnc fmt's layout, and leaves a formatted one alone", async () => {
    const uri = "file:///tmp/format.cnn";
    const messy = "model M{input x:[4]   # in\n y=x|>dense(2)|>relu}\n";
    await server.open(uri, messy);
    const edits = await request<TextEdit[]>(server, DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(applyEdits(messy, edits)).toBe(formatSource(messy).text);
    expect(await request(server, DocumentFormattingRequest.type, { textDocument: { uri: lenetUri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });

  it("lists models with their input, bindings, output and train section", async () => {
    const symbols = await request<DocumentSymbol[]>(server, DocumentSymbolRequest.type, { textDocument: { uri: lenetUri } });
    expect(symbols.map((s) => s.name)).toEqual(["LeNet"]);
    expect(symbols[0]!.children!.map((c) => [c.name, c.detail])).toEqual([
      ["image", "[28, 28, 1]"],
      ["features", "[5, 5, 16]"],
      ["logits", "[10]"],
      ["probs", "[10]"],
      ["train", undefined],
    ]);
  });
});

describe("cnnc lsp: survives any input", () => {
  it(`replays ${fuzzCount} fuzz inputs through didChange, with requests on each, and no internal error`, { timeout: 120_000 }, async () => {
    const uri = "file:///tmp/fuzz.cnn";
    await server.open(uri, "", 1);
    const perFamily = Math.max(1, Math.round(fuzzCount / families.length));
    const inputs = families.flatMap((family, i) => fc.sample(family.inputs, { numRuns: perFamily, seed: 4242 + i }));
    let previous = TextDocument.create(uri, "cnn", 1, "");
    let version = 1;
    for (const input of inputs) {
      version++;
      // one edit replacing the whole text: incremental sync with the largest possible range
      const whole = { start: { line: 0, character: 0 }, end: previous.positionAt(previous.getText().length) };
      const published = await server.change(uri, version, [{ range: whole, text: input }]);
      expect(published.uri).toBe(uri);
      previous = TextDocument.create(uri, "cnn", version, input);
      const textDocument = { uri };
      for (const offset of [0, input.length >> 1, input.length]) {
        const position = previous.positionAt(offset);
        await server.connection.sendRequest(HoverRequest.type, { textDocument, position });
        await server.connection.sendRequest(CompletionRequest.type, { textDocument, position });
        await server.connection.sendRequest(DefinitionRequest.type, { textDocument, position });
        await server.connection.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } });
        // a refusal is an answer; only a crash or an internal error is a failure
        await server.connection.sendRequest(RenameRequest.type, { textDocument, position, newName: "renamed" }).catch((error: Error) => {
          expect(error.message).not.toContain("internal");
        });
      }
      await server.connection.sendRequest(DocumentSymbolRequest.type, { textDocument });
      await server.connection.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 2, insertSpaces: true } });
      await server.connection.sendRequest(InlayHintRequest.type, { textDocument, range: { start: { line: 0, character: 0 }, end: previous.positionAt(input.length) } });
    }
    expect(inputs.length).toBeGreaterThanOrEqual(fuzzCount - families.length);
    expect(server.logs.filter((l) => l.message.includes("internal error"))).toEqual([]);
    expect(server.child.exitCode).toBeNull();
  });
});
