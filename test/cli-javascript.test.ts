// `cnnc net.cnn -o net.js` (issue 12, item 1): the language follows the output's extension or
// --emit, a JavaScript module gets its .d.ts (.d.mts for .mjs) beside it, and plain Node runs
// the .js with no loader. The real command, spawned as a user runs it, once; main() in-process
// for the rest.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "cnnc.js");
const work = mkdtempSync(join(tmpdir(), "cnnc-cli-js-"));
// a plain-JS project: .js files are ES modules
writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module" }));
writeFileSync(join(work, "tiny.cnn"), ["model Tiny {", "  input x: [4]", "  output y = x |> dense(3) |> relu |> dense(2)", "}", ""].join("\n"));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: work, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cnnc = (...args: string[]): Promise<Run> => run(process.execPath, [bin, ...args]);

/** main() in this process, for the cases that need no fresh process (each spawn costs seconds). */
async function inProcess(...args: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t), errColor: false, stdin: async () => new Uint8Array() };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const at = (...parts: string[]): string => join(work, ...parts);

describe("cnnc -o <file.js>", { timeout: 120_000 }, () => {
  it("writes JavaScript and its .d.ts, which plain Node imports with no loader", async () => {
    mkdirSync(at("out"), { recursive: true });
    const result = await cnnc("tiny.cnn", "-o", "out/tiny.js", "--json");
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toMatchObject({ output: "out/tiny.js", declarations: "out/tiny.d.ts" });
    expect(readFileSync(at("out", "tiny.d.ts"), "utf8")).toContain("export declare class Tiny");
    expect(readFileSync(at("out", "tiny.js"), "utf8")).toContain("export class Tiny");
    writeFileSync(at("use.js"), 'import { Tiny } from "./out/tiny.js";\nconsole.log(new Tiny({ seed: 1 }).predict([1, 2, 3, 4]).length);\n');
    expect(await run(process.execPath, ["use.js"])).toEqual({ code: 0, stdout: "2\n", stderr: "" });
  });

  it("pairs .mjs with .d.mts, and --emit js alone writes net.js beside net.cnn", async () => {
    mkdirSync(at("m"), { recursive: true });
    expect((await inProcess(at("tiny.cnn"), "-o", at("m", "tiny.mjs"))).code).toBe(0);
    expect(readFileSync(at("m", "tiny.d.mts"), "utf8")).toContain("export declare class Tiny");
    expect(readFileSync(at("m", "tiny.mjs"), "utf8")).not.toContain(": number");
    expect((await inProcess(at("tiny.cnn"), "--emit", "js")).code).toBe(0);
    expect(existsSync(at("tiny.js")) && existsSync(at("tiny.d.ts"))).toBe(true);
    expect(existsSync(at("tiny.ts"))).toBe(false);
  });

  it("prints JavaScript alone with --emit js -o -, and TypeScript without --emit", async () => {
    const js = await inProcess(at("tiny.cnn"), "--emit", "js", "-o", "-");
    expect(js.code).toBe(0);
    expect(js.stdout).toContain("export class Tiny");
    expect(js.stdout).not.toMatch(/readonly |: number|export declare/);
    const typescript = await inProcess(at("tiny.cnn"), "-o", "-");
    expect(typescript.stdout).toContain("static readonly inputShape: readonly [4] = Object.freeze([4] as const);");
  });

  it("refuses a language that contradicts the extension, and CommonJS names, writing nothing", async () => {
    const cases = [
      [["--emit", "ts", "-o", "bad.js"], "cnnc: -o bad.js names a JavaScript file, but --emit ts writes TypeScript"],
      [["--emit", "js", "-o", "bad.ts"], "cnnc: -o bad.ts names a TypeScript file, but --emit js writes JavaScript"],
      [["-o", "bad.cjs"], "cnnc: -o bad.cjs: the module is an ES module (it exports a class); name it .js, .mjs or .ts"],
      [["--emit", "js", "-o", "bad.txt"], "cnnc: --emit js needs an output path ending in .js or .mjs, not 'bad.txt'"],
    ] as const;
    for (const [args, message] of cases) {
      const result = await inProcess(at("tiny.cnn"), ...args);
      expect(result, args.join(" ")).toMatchObject({ code: 2, stdout: "" });
      expect(result.stderr.split("\n")[0]).toBe(message);
    }
    for (const name of ["bad.js", "bad.d.ts", "bad.ts", "bad.cjs", "bad.txt"]) expect(existsSync(at(name))).toBe(false);
  });
});
