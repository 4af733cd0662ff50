// I/O failures as one-line messages: the error type the CLI maps to exit status 2, and plain
// words for the errno codes users meet.
export class IoError extends Error {}

// Others fall back to Node's message.
const reasons: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
};

export function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && reasons[code]) return reasons[code]!;
  return error instanceof Error ? error.message : String(error);
}
