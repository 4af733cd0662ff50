// `--json` output against its JSON Schema (docs/cnnc-output.schema.json): every fixture through
// `cnnc check --json`, and a compile, a usage error and an I/O error through `cnnc --json`.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const schema = JSON.parse(readFileSync(join(root, "docs", "cnnc-output.schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const work = mkdtempSync(join(tmpdir(), "cnnc-json-"));

async function json(args: readonly string[]): Promise<{ code: number; value: unknown }> {
  let stdout = "";
  const io: CliIo = { out: (t) => void (stdout += t), err: () => undefined, errColor: false, stdin: async () => new Uint8Array() };
  const code = await main([...args, "--json"], io);
  return { code, value: JSON.parse(stdout) };
}

function expectValid(value: unknown, what: string): void {
  const ok = validate(value);
  expect(ok ? [] : validate.errors, what).toEqual([]);
}

const fixtures = readdirSync(join(root, "test", "fixtures"), { recursive: true, encoding: "utf8" })
  .filter((p) => p.endsWith("input.cnn"))
  .map((p) => join(root, "test", "fixtures", p))
  .sort();

describe("the --json output schema", { timeout: 120_000 }, () => {
  it("validates every fixture's `cnnc check --json`", async () => {
    expect(fixtures.length).toBeGreaterThan(50);
    let withNotes = 0;
    for (const input of fixtures) {
      const { value } = await json(["check", input]);
      expectValid(value, input);
      const diagnostics = (value as { diagnostics: { notes: { line?: number; file?: string; endColumn?: number }[] }[] }).diagnostics;
      for (const note of diagnostics.flatMap((d) => d.notes).filter((n) => n.line !== undefined)) {
        withNotes++;
        expect(note.file).toMatch(/input\.cnn$/);
        expect(note.endColumn).toBeGreaterThan(0);
      }
    }
    // the fixtures' located notes carry file, endLine and endColumn
    expect(withNotes).toBeGreaterThan(10);
  });

  it("keeps `file` and an empty `models` on errors", async () => {
    const input = join(work, "bad.cnn");
    writeFileSync(input, "model M {\n  input x: [4]\n  y = x |> densse(2)\n}\n");
    const { code, value } = await json(["check", input]);
    expect(code).toBe(1);
    expectValid(value, "check with errors");
    expect(value).toMatchObject({ file: expect.stringMatching(/bad\.cnn$/), models: [] });
  });

  it("lists aliases among the tensors", async () => {
    const input = join(work, "alias.cnn");
    writeFileSync(input, "model M {\n  input x: [4]\n  h = x |> dense(3)\n  same = h\n  output y = same |> dense(2)\n}\n");
    const { value } = await json(["check", input]);
    expectValid(value, "aliases");
    const tensors = (value as { models: { tensors: unknown[] }[] }).models[0]!.tensors;
    expect(tensors).toContainEqual({ name: "same", shape: [3], aliasOf: "h" });
  });

  it("validates a compile, a compile with errors, a usage error and an I/O error", async () => {
    const input = join(work, "ok.cnn");
    writeFileSync(input, "model M {\n  input x: [4]\n  y = x |> dense(2)\n}\n");
    const compiled = await json([input, "-o", join(work, "ok.ts")]);
    expect(compiled.code).toBe(0);
    expectValid(compiled.value, "compile");
    const failed = await json([join(work, "bad.cnn"), "-o", join(work, "bad.ts")]);
    expect(failed.code).toBe(1);
    expectValid(failed.value, "compile with errors");
    const usage = await json(["--bogus", input]);
    expect(usage.code).toBe(2);
    expectValid(usage.value, "usage");
    expect(usage.value).toEqual({ file: null, error: { kind: "usage", message: "unknown option '--bogus'" }, diagnostics: [] });
    const io = await json(["check", join(work, "missing.cnn")]);
    expect(io.code).toBe(2);
    expectValid(io.value, "io");
    expect(io.value).toMatchObject({ error: { kind: "io", message: expect.stringContaining("no such file") } });
  });

  it("rejects what the schema forbids (the schema is not vacuous)", () => {
    expect(validate({ diagnostics: [] })).toBe(false);
    expect(validate({ file: "a.cnn", models: [], diagnostics: [{ code: "CNN1", severity: "error" }] })).toBe(false);
    expect(validate({ file: "a.cnn", models: [], diagnostics: [] })).toBe(true);
  });
});
