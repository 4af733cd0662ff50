// The process streams the CLI talks to, behind an interface so main() can be driven in-process.
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** render diagnostics with ANSI colors */
  readonly errColor: boolean;
  /** the raw bytes: decoding, and rejecting what is not UTF-8, is readSource's job */
  readonly stdin: () => Promise<Uint8Array>;
}

export function processIo(): CliIo {
  // `cnnc x.cnn -o - | head` closes the pipe early; that is not an error worth a stack trace
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    // color only for a terminal, and never when NO_COLOR is set (https://no-color.org)
    errColor: process.stderr.isTTY === true && !process.env["NO_COLOR"],
    stdin: readStdin,
  };
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
