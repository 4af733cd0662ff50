// Reading the source and writing the output, with I/O failures as one-line messages (exit 2).
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export class IoError extends Error {}

// Plain words for the errno codes users meet; others fall back to Node's message.
const reasons: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
};

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && reasons[code]) return reasons[code]!;
  return error instanceof Error ? error.message : String(error);
}

export async function readSource(path: string, stdin: () => Promise<string>): Promise<string> {
  try {
    return path === "-" ? await stdin() : await readFile(path, "utf8");
  } catch (error) {
    throw new IoError(`cannot read '${path}': ${reason(error)}`);
  }
}

export async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new IoError(`cannot write '${path}': ${reason(error)}`);
  }
}

/**
 * Replaces a file's contents all at once: the text goes to a new file beside it, which is then
 * renamed over the original, so a crash or a full disk leaves the original as it was.
 */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.cnnc-tmp`);
  try {
    const { mode } = await stat(path);
    await writeFile(temporary, text, { flag: "wx" });
    await chmod(temporary, mode & 0o7777);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new IoError(`cannot write '${path}': ${reason(error)}`);
  }
}

/** The default output: `net.cnn` -> `net.ts`, any other name gets `.ts` appended. */
export function defaultOutputPath(input: string): string {
  return input.endsWith(".cnn") ? `${input.slice(0, -4)}.ts` : `${input}.ts`;
}
