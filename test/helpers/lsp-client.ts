// A real LSP client for the tests: spawns `cnnc lsp` as an editor would and talks to it over
// stdio through vscode-languageserver-protocol's connection. The server is bin/cnnc.js of the
// package test/global-setup.ts builds from src/, as an editor with cnnc installed runs it (the
// checkout's bin would add tsx's loader, 2-3 s of CPU, to each start).
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = inject("builtCli");

export interface Server {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** window/logMessage notifications, e.g. a feature's internal error */
  readonly logs: LogMessageParams[];
  /** the document's diagnostics once the server has published them for `version` */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): Promise<PublishDiagnosticsParams>;
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams>;
  stop(): Promise<number | null>;
}

const capabilities: ClientCapabilities = {
  textDocument: {
    hover: { contentFormat: ["markdown", "plaintext"] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    rename: { prepareSupport: true },
  },
  workspace: { configuration: false, inlayHint: { refreshSupport: false } },
};

export async function startServer(initializationOptions?: unknown): Promise<Server> {
  const child = spawn(process.execPath, [bin, "lsp", "--stdio"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const logs: LogMessageParams[] = [];
  const published: PublishDiagnosticsParams[] = [];
  const waiting: { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification(LogMessageNotification.type, (params) => void logs.push(params));
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of waiting.filter((w) => w.uri === params.uri && w.version === params.version)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(params);
    }
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities, initializationOptions });
  await connection.sendNotification(InitializedNotification.type, {});

  const diagnostics = (uri: string, version: number): Promise<PublishDiagnosticsParams> => {
    const found = published.find((p) => p.uri === uri && p.version === version);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiting.push({ uri, version, resolve }));
  };
  return {
    connection,
    child,
    logs,
    diagnostics,
    async open(uri, text, version = 1) {
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "cnn", version, text } });
      return diagnostics(uri, version);
    },
    async change(uri, version, contentChanges) {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
      return diagnostics(uri, version);
    },
    async stop() {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
  };
}
