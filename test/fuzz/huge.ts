// Run in a child process with a small heap (test/fuzz.test.ts): hostile inputs just under the
// source limit, each analysed once. Prints, per input, the CPU time analyze() took and the heap it
// held at its end, as JSON; running out of heap kills the process, which the test reports.
import { analyze } from "../../src/analyze.js";

const size = 8_000_000;
const repeat = (unit: string): string => unit.repeat(Math.floor(size / unit.length));

/** The shapes of input that once cost seconds or gigabytes, and a few like them. */
export const hugeInputs: Readonly<Record<string, () => string>> = {
  "bad characters between spaces": () => repeat("@ "),
  "bad characters on their own lines": () => repeat("@\n"),
  "a lone '|' again and again": () => repeat("| "),
  "names and nothing else": () => repeat("a "),
  "'model M {' nested": () => repeat("model M { "),
  "unknown names in bindings": () => `model M {\n  input x: [4]\n${repeat("  y = q |> relu\n")}}\n`,
  "one long comment line": () => `# ${"x".repeat(size)}\nmodel M {\n  input x: [4]\n  y = x |> relu\n}\n`,
  "syntax errors in every statement": () => `model M {\n${repeat("  x = f(1 2)\n")}}\n`,
};

if (process.argv[1]?.endsWith("huge.ts")) {
  analyze("model Warm {\n  input x: [4]\n  y = x |> relu\n}\n");
  const results: Record<string, { chars: number; cpuMs: number; heapMb: number; diagnostics: number }> = {};
  for (const [name, make] of Object.entries(hugeInputs)) {
    const text = make();
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const cpu = process.cpuUsage();
    const analysis = analyze(text, "huge.cnn");
    const used = process.cpuUsage(cpu);
    // what the analysis keeps alive, beyond the text itself
    globalThis.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    results[name] = { chars: text.length, cpuMs: (used.user + used.system) / 1000, heapMb, diagnostics: analysis.diagnostics.length };
  }
  process.stdout.write(JSON.stringify(results));
}
