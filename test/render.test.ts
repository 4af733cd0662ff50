// Rendering diagnostics as text (clang/rustc style) and as JSON.
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { toJsonDiagnostics } from "../src/diagnostics/json.js";
import { renderDiagnostics } from "../src/diagnostics/render.js";
import { SourceFile, span } from "../src/source/span.js";

const source = ["model Net {", "  input x: [4]", "  y = x |> dense(3)", "}"].join("\n");
const file = new SourceFile("net.cnn", source);

function at(text: string, occurrence = 0): { start: number; end: number } {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = source.indexOf(text, start + 1);
  if (start < 0) throw new Error(`'${text}' not in source`);
  return span(start, start + text.length);
}

function error(code: string, message: string, where: { start: number; end: number }, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity: "error", message, span: where, notes: [], ...extra };
}

describe("renderDiagnostics", () => {
  it("renders a located header, the source line and a caret underline", () => {
    const text = renderDiagnostics([error("CNN2001", "unknown op `dense`", at("dense(3)"))], file);
    expect(text).toBe(
      [
        "net.cnn:3:12: error[CNN2001]: unknown op `dense`",
        "  3 |   y = x |> dense(3)",
        "    |            ^^^^^^^^",
        "",
        "error: 1 error found",
        "",
      ].join("\n"),
    );
  });

  it("renders located notes with their own snippet, then span-less notes and help", () => {
    const d = error("CNN3001", "bad shape", at("dense(3)"), {
      notes: [{ message: "x is declared here", span: at("input x: [4]") }, { message: "a note without a place" }],
      help: "try something else",
    });
    const lines = renderDiagnostics([d], file).split("\n");
    expect(lines.slice(0, 8)).toEqual([
      "net.cnn:3:12: error[CNN3001]: bad shape",
      "  3 |   y = x |> dense(3)",
      "    |            ^^^^^^^^",
      "net.cnn:2:3: note: x is declared here",
      "  2 |   input x: [4]",
      "    |   ^^^^^^^^^^^^",
      "    = note: a note without a place",
      "    = help: try something else",
    ]);
  });

  it("sorts diagnostics by position and counts them", () => {
    const text = renderDiagnostics([error("CNN2002", "second", at("x", 1)), error("CNN2001", "first", at("Net"))], file);
    expect(text.indexOf("first")).toBeLessThan(text.indexOf("second"));
    expect(text.trimEnd().split("\n").pop()).toBe("error: 2 errors found");
  });

  it("counts warnings apart from errors", () => {
    const warning: Diagnostic = { ...error("CNN2099", "odd", at("Net")), severity: "warning" };
    expect(renderDiagnostics([warning], file)).toContain("net.cnn:1:7: warning[CNN2099]: odd");
    expect(renderDiagnostics([warning], file).trimEnd().split("\n").pop()).toBe("warning: 1 warning found");
    expect(renderDiagnostics([warning, error("CNN1", "e", at("x"))], file)).toContain("error: 1 error and 1 warning found");
  });

  it("renders nothing for no diagnostics", () => {
    expect(renderDiagnostics([], file)).toBe("");
  });

  it("underlines a span that crosses lines to the end of its first line", () => {
    const lines = renderDiagnostics([error("CNN1", "m", span(source.indexOf("input"), source.indexOf("dense")))], file).split("\n");
    expect(lines[1]).toBe("  2 |   input x: [4]");
    expect(lines[2]).toBe("    |   ^^^^^^^^^^^^");
  });

  it("puts one caret under an empty span, also at the end of the file", () => {
    const lines = renderDiagnostics([error("CNN1", "m", span(source.length, source.length))], file).split("\n");
    expect(lines[0]).toBe("net.cnn:4:2: error[CNN1]: m");
    expect(lines[1]).toBe("  4 | }");
    expect(lines[2]).toBe("    |  ^");
  });

  it("expands tabs so the caret stays under its token", () => {
    const tabbed = new SourceFile("t.cnn", "\tx =\t@");
    const lines = renderDiagnostics([error("CNN1001", "m", span(5, 6))], tabbed).split("\n");
    // "\t" fills columns 0-3, "x =" 4-6, the second "\t" stops at column 8
    expect(lines[1]).toBe("  1 |     x = @");
    expect(lines[2]!.indexOf("^")).toBe(lines[1]!.indexOf("@"));
  });

  it("shows control characters as visible symbols, never raw", () => {
    const raw = new SourceFile("t.cnn", "x \u001b[31m y \u0000");
    const text = renderDiagnostics([error("CNN1001", "m", span(2, 3))], raw);
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\u0000");
    expect(text).toContain("\u241b[31m y \u2400");
  });

  it("cuts a very long line to a window around the span", () => {
    const long = new SourceFile("t.cnn", `${"a".repeat(1000)} @ ${"b".repeat(1000)}`);
    const lines = renderDiagnostics([error("CNN1001", "m", span(1001, 1002))], long).split("\n");
    expect(lines[1]!.length).toBeLessThan(200);
    expect(lines[1]).toMatch(/^ {2}1 \| …a+ @ b+…$/);
    expect(lines[2]!.indexOf("^")).toBe(lines[1]!.indexOf("@"));
  });

  it("widens the gutter for the largest line number shown", () => {
    const many = new SourceFile("t.cnn", `${"\n".repeat(99)}x`);
    const d = error("CNN1", "m", span(99, 100), { notes: [{ message: "n", span: span(0, 0) }] });
    const lines = renderDiagnostics([d], many).split("\n");
    expect(lines[1]).toBe("  100 | x");
    expect(lines[4]).toBe("    1 |");
  });

  it("colors only when asked", () => {
    const d = [error("CNN2001", "m", at("dense"))];
    expect(renderDiagnostics(d, file)).not.toContain("\u001b[");
    const colored = renderDiagnostics(d, file, { color: true });
    expect(colored).toContain("\u001b[1;31merror[CNN2001]\u001b[0m");
    expect(colored.replace(/\u001b\[[0-9;]*m/g, "")).toBe(renderDiagnostics(d, file));
  });
});

describe("toJsonDiagnostics", () => {
  it("gives 1-based positions, an exclusive end, and notes", () => {
    const d = error("CNN3001", "bad", at("dense(3)"), { notes: [{ message: "here", span: at("x: [4]") }, { message: "nowhere" }] });
    expect(toJsonDiagnostics([d], file)).toEqual([
      {
        code: "CNN3001",
        severity: "error",
        message: "bad",
        file: "net.cnn",
        line: 3,
        column: 12,
        endLine: 3,
        endColumn: 20,
        notes: [{ message: "here", file: "net.cnn", line: 2, column: 9, endLine: 2, endColumn: 15 }, { message: "nowhere" }],
      },
    ]);
  });

  it("includes help only when there is some, and sorts by position", () => {
    const json = toJsonDiagnostics([error("CNN2", "later", at("dense")), error("CNN1", "first", at("model"), { help: "h" })], file);
    expect(json.map((j) => [j.message, j.help])).toEqual([
      ["first", "h"],
      ["later", undefined],
    ]);
    expect("help" in json[1]!).toBe(false);
  });

  it("reports a span across lines with its end line", () => {
    const [j] = toJsonDiagnostics([error("CNN1", "m", span(source.indexOf("input"), source.indexOf("dense")))], file);
    expect([j!.line, j!.column, j!.endLine, j!.endColumn]).toEqual([2, 3, 3, 12]);
  });
});
