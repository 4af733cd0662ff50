// Table-driven argument binding: every kind of argument error, reported at the right place.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";

/** Each diagnostic as its code, the source text under its primary span, and its help. */
function diagnose(body: string): { code: string; at: string; message: string; help?: string }[] {
  const source = `model T {\n  input x: [8, 8, 3]\n${body}\n}`;
  return analyze(source).diagnostics.map((d) => ({
    code: d.code,
    at: source.slice(d.span.start, d.span.end),
    message: d.message,
    help: d.help,
  }));
}

describe("argument matching", () => {
  it("binds positionals in signature order, then named ones", () => {
    const model = analyze("model T {\n  input x: [8, 8, 3]\n  y = x |> conv2d(4, 3, 2, same, 1, false)\n}").checked!.models[0]!;
    expect(model.layers[0]!.attrs).toEqual({
      filters: 4,
      kernel: [3, 3],
      stride: [2, 2],
      dilation: [1, 1],
      padding: { top: 0, bottom: 1, left: 0, right: 1 },
      bias: false,
      init: "glorot_uniform",
      trainable: true,
    });
  });

  it("reports an unknown argument with a suggestion, and no missing argument for it", () => {
    expect(diagnose("  y = x |> conv2d(4, kernal: 3)")).toEqual([
      { code: "CNN2007", at: "kernal", message: "`conv2d` has no argument `kernal`", help: "did you mean `kernel`?" },
    ]);
  });

  it("lists the arguments when nothing is close", () => {
    expect(diagnose("  y = x |> dense(4, colour: 3)")[0]).toMatchObject({ code: "CNN2007", help: "its arguments are `units`, `bias`, `init`, `trainable`" });
    expect(diagnose("  y = x |> flatten(axis: 1)")[0]).toMatchObject({ code: "CNN2007", help: "`flatten` takes no named arguments" });
  });

  it("reports a duplicate argument with a note at the first", () => {
    const source = "model T {\n  input x: [8]\n  y = x |> dense(4, units: 5)\n}";
    const [d] = analyze(source).diagnostics;
    expect(d).toMatchObject({ code: "CNN2008" });
    expect(source.slice(d!.span.start, d!.span.end)).toBe("units");
    expect(source.slice(d!.notes[0]!.span!.start, d!.notes[0]!.span!.end)).toBe("4");
  });

  it("reports a positional after a named argument", () => {
    expect(diagnose("  y = x |> conv2d(filters: 4, 3)")).toMatchObject([{ code: "CNN2009", at: "3" }]);
  });

  it("reports too many arguments once, at the first extra", () => {
    expect(diagnose("  y = x |> flatten |> dense(3, true, zeros, false, 4, 5)")).toMatchObject([{ code: "CNN2010", at: "4" }]);
    expect(diagnose("  y = x |> relu(1)")).toMatchObject([{ code: "CNN2010", at: "1", message: "`relu` takes no arguments" }]);
  });

  it("reports a missing required argument at the call", () => {
    expect(diagnose("  y = x |> conv2d(4)")).toMatchObject([
      { code: "CNN2011", at: "conv2d(4)", help: "pass `kernel`, an integer or an `[h, w]` pair" },
    ]);
    expect(diagnose("  y = x |> dropout")).toMatchObject([{ code: "CNN2011", at: "dropout" }]);
  });
});

describe("argument values", () => {
  it("says what kind was expected and what was found", () => {
    expect(diagnose("  y = x |> conv2d(4.0, 3)")).toMatchObject([
      { code: "CNN2012", at: "4.0", message: "expected an integer for `filters` of `conv2d`, found `4.0`" },
    ]);
    expect(diagnose("  y = x |> conv2d(4, 1e1)")).toMatchObject([{ code: "CNN2012", at: "1e1" }]);
    expect(diagnose("  y = x |> conv2d(4, [3, 3, 3])")).toMatchObject([
      { message: "expected an integer or an `[h, w]` pair for `kernel` of `conv2d`, found `[3, 3, 3]`" },
    ]);
    expect(diagnose("  y = x |> conv2d(4, 3, bias: 1)")).toMatchObject([
      { message: "expected `true` or `false` for `bias` of `conv2d`, found `1`" },
    ]);
    expect(diagnose("  y = x |> leaky_relu(alpha: low)")).toMatchObject([
      { message: "expected a number for `alpha` of `leaky_relu`, found `low`" },
    ]);
  });

  it("suggests the closest enum value", () => {
    expect(diagnose("  y = x |> conv2d(4, 3, padding: smae)")).toMatchObject([
      { code: "CNN2013", at: "smae", help: "did you mean `same`?" },
    ]);
    expect(diagnose("  y = x |> conv2d(4, 3, bias: flase)")).toMatchObject([{ code: "CNN2013", help: "did you mean `false`?" }]);
    expect(diagnose("  y = x |> conv2d(4, 3, padding: full)")).toMatchObject([
      { code: "CNN2013", help: "expected `valid`, `same`, an integer or an `[h, w]` pair" },
    ]);
  });

  it("checks ranges", () => {
    const cases: [string, string][] = [
      ["conv2d(0, 3)", "`filters` of `conv2d` must be at least 1, found `0`"],
      ["conv2d(4, [3, 0])", "`kernel` of `conv2d` must be at least 1, found `0`"],
      ["conv2d(4, 3, stride: 0)", "`stride` of `conv2d` must be at least 1, found `0`"],
      ["conv2d(4, 3, dilation: 0)", "`dilation` of `conv2d` must be at least 1, found `0`"],
      ["maxpool(0)", "`size` of `maxpool` must be at least 1, found `0`"],
      ["dropout(1)", "`rate` of `dropout` must be at least 0 and less than 1, found `1`"],
      ["flatten |> dense(0)", "`units` of `dense` must be at least 1, found `0`"],
    ];
    for (const [call, message] of cases) expect(diagnose(`  y = x |> ${call}`), call).toMatchObject([{ code: "CNN2014", message }]);
    expect(diagnose("  y = x |> conv2d(4, 3, padding: 0)")).toEqual([]);
  });

  it("rejects numbers too large for a double and sizes above the dimension limit", () => {
    expect(diagnose("  y = x |> leaky_relu(1e999)")).toMatchObject([{ code: "CNN2033", at: "1e999" }]);
    expect(diagnose("  y = x |> conv2d(99999999999999999999, 3)")).toMatchObject([{ code: "CNN3012", at: "99999999999999999999" }]);
    expect(diagnose("  y = x |> conv2d(4, 3, stride: 9007199254740993)")).toMatchObject([{ code: "CNN3012" }]);
  });
});

describe("calls in the wrong place", () => {
  it("rejects a single-input op used as a source, suggesting the pipe", () => {
    expect(diagnose("  y = conv2d(x, 4, kernel: 3)")).toMatchObject([
      { code: "CNN2015", at: "conv2d(x, 4, kernel: 3)", help: "write `x |> conv2d(4, kernel: 3)`" },
    ]);
    expect(diagnose("  y = relu(x)")).toMatchObject([{ code: "CNN2015", help: "write `x |> relu`" }]);
  });

  it("treats bare `relu` and `relu()` alike", () => {
    const bare = analyze("model T {\n  input x: [3]\n  y = x |> relu\n}").checked!.models[0]!;
    const parens = analyze("model T {\n  input x: [3]\n  y = x |> relu()\n}").checked!.models[0]!;
    expect(parens.layers.map((l) => [l.op, l.name, l.attrs])).toEqual(bare.layers.map((l) => [l.op, l.name, l.attrs]));
  });

  it("suggests the closest op, or the ops, or add for a tensor name", () => {
    expect(diagnose("  y = x |> conv2D(4, 3)")).toMatchObject([{ code: "CNN2001", at: "conv2D", help: "did you mean `conv2d`?" }]);
    expect(diagnose("  y = x |> attention")[0]!.help).toMatch(/^the ops are `conv2d`, `maxpool`/);
    expect(diagnose("  a = x |> relu\n  y = x |> a")).toMatchObject([
      { code: "CNN2001", help: "'a' is a tensor; to combine it with this one write `|> add(a)` or `|> concat(a)`" },
    ]);
  });
});
