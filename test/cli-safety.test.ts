// The CLI driven in-process through main(): writes that never lose a file (the output may not be
// the input, a failed write leaves the old file, a missing directory is refused), misspelt
// commands, and source files that are not UTF-8.
import { chmodSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutput, IoError } from "../src/cli/files.js";
import type { CliIo } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";

const work = mkdtempSync(join(tmpdir(), "cnnc-safe-"));
const tiny = ["model Tiny {", "  input x: [4]", "  y = x |> dense(2)", "}", ""].join("\n");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cnnc(args: readonly string[], stdin: Uint8Array = new Uint8Array()): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), errColor: false, stdin: async () => stdin };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function source(name: string, text: string | Uint8Array = tiny): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

describe("the output never replaces the input", { timeout: 60_000 }, () => {
  it("refuses -o naming the input, by the same path, another spelling, a symlink or a hard link", async () => {
    const input = source("self.cnn");
    symlinkSync(input, join(work, "self-link.ts"));
    linkSync(input, join(work, "self-hard.ts"));
    const spellings = [input, join(work, ".", "self.cnn"), join(work, "self-link.ts"), join(work, "self-hard.ts")];
    for (const output of spellings) {
      const run = await cnnc([input, "-o", output]);
      expect(run.code, output).toBe(2);
      expect(run.stderr).toMatch(/^cnnc: refusing to write/);
      expect(readFileSync(input, "utf8")).toBe(tiny);
    }
  });

  it("refuses any .cnn output, which is always somebody's source", async () => {
    const input = source("a.cnn");
    const other = source("b.cnn", "model B { }\n");
    const run = await cnnc([input, "-o", other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a .cnn file is source");
    expect(readFileSync(other, "utf8")).toBe("model B { }\n");
  });
});

describe("atomic writes", () => {
  it("leaves the old file intact, and no temporary file, when the write fails half-way", async () => {
    const target = join(work, "kept.ts");
    writeFileSync(target, "// the good module\n");
    // a full disk: half the text reaches the temporary file, then ENOSPC
    const fullDisk = {
      writeTemp: async (path: string, text: string) => {
        await writeFile(path, text.slice(0, text.length / 2));
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      },
      rename: async () => expect.unreachable("no rename after a failed write"),
    };
    const error = await writeOutput(target, "x".repeat(10_000), fullDisk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as Error).message).toMatch(/no space left on device; the previous file, if any, is unchanged$/);
    expect(readFileSync(target, "utf8")).toBe("// the good module\n");
    expect(readdirSync(work).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("leaves the old file when the rename fails too", async () => {
    const target = join(work, "kept2.ts");
    writeFileSync(target, "old");
    const failingRename = {
      writeTemp: (path: string, text: string) => writeFile(path, text),
      rename: async () => {
        throw Object.assign(new Error("EXDEV"), { code: "EXDEV" });
      },
    };
    await expect(writeOutput(target, "new", failingRename)).rejects.toBeInstanceOf(IoError);
    expect(readFileSync(target, "utf8")).toBe("old");
    expect(readdirSync(work).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("replaces a file whole, keeping its permissions, and writes through a symlink", async () => {
    const target = join(work, "mode.ts");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    await writeOutput(target, "new text");
    expect(readFileSync(target, "utf8")).toBe("new text");
    expect(statSync(target).mode & 0o777).toBe(0o640);
    symlinkSync(target, join(work, "mode-link.ts"));
    await writeOutput(join(work, "mode-link.ts"), "through the link");
    expect(readFileSync(target, "utf8")).toBe("through the link");
  });

  it("refuses a directory that does not exist instead of creating it", async () => {
    const input = source("c.cnn");
    const run = await cnnc([input, "-o", join(work, "no", "such", "dir", "c.ts")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the directory '.*dir' does not exist \(create it first\)/);
    expect(existsSync(join(work, "no"))).toBe(false);
  });
});

describe("misspelt commands", () => {
  it("suggests `check` for `chekc`, with or without a file", async () => {
    const input = source("d.cnn");
    for (const args of [["chekc", input], ["chekc"], ["chek", input]]) {
      const run = await cnnc(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr.split("\n")[0]).toBe(`cnnc: unknown command \`${args[0]}\`; did you mean \`check\`?`);
    }
  });

  it("still compiles a file whose name looks like a command", async () => {
    const named = source("chekc");
    const run = await cnnc([named, "-o", join(work, "chekc.ts")]);
    expect(run.code).toBe(0);
  });
});

describe("source encoding", () => {
  it("reports the first byte that is not UTF-8, with its line and column", async () => {
    // 'é' in Latin-1 is the single byte 0xE9, invalid in UTF-8
    const bytes = Buffer.concat([Buffer.from("model Tiny {\n  input x: [4] # caf"), Buffer.from([0xe9]), Buffer.from("\n}\n")]);
    const input = source("latin1.cnn", bytes);
    const run = await cnnc(["check", input]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read '.*latin1\.cnn': not valid UTF-8: byte 0xE9 at line 2, column 21 \(byte offset 33\)/);
    const piped = await cnnc(["check", "-"], bytes);
    expect(piped.stderr).toContain("cannot read '-': not valid UTF-8: byte 0xE9 at line 2, column 21");
  });

  it("accepts valid multi-byte UTF-8 and counts columns in UTF-16 units", async () => {
    const input = source("utf8.cnn", "model Tiny { # café ☕ 𝄞\n  input x: [4]\n  y = x |> dense(2)\n}\n");
    expect((await cnnc(["check", input])).code).toBe(0);
    const bad = source("utf8-bad.cnn", Buffer.concat([Buffer.from("# ☕𝄞"), Buffer.from([0xed, 0xa0, 0x80])]));
    // an encoded surrogate (ED A0 80) is not UTF-8; ☕ is one unit, 𝄞 two: column 2 + 1 + 2 + 1
    expect((await cnnc(["check", bad])).stderr).toContain("byte 0xED at line 1, column 6 (byte offset 9)");
  });

  it("writes the input path relative to the working directory in the header", async () => {
    const input = source("header.cnn");
    const run = await cnnc([input, "-o", "-"]);
    expect(run.code).toBe(0);
    // given as an absolute path under the temporary directory, recorded from the test's cwd
    const header = run.stdout.split("\n")[0]!;
    expect(header).not.toContain(`"${work}`);
    expect(header).toMatch(/ from "(\.\.\/)+.*\/header\.cnn"\. Do not edit\.$/);
  });
});
