// `cnnc lsp`: the language server, over stdin and stdout. vscode-languageserver speaks the
// protocol and keeps the open documents (incremental sync); each feature lives in its own file.
import {
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { completions } from "./completion.js";
import { lspDiagnostics } from "./diagnostics.js";
import { AnalyzedDocument } from "./document.js";
import { formattingEdits } from "./formatting.js";
import { hover } from "./hover.js";
import { inlayHints } from "./inlay.js";
import { definition, prepareRename, references, rename } from "./navigation.js";
import { readSettings, type Settings } from "./settings.js";
import { documentSymbols } from "./symbols.js";

/** Serves until the client says exit; the protocol library then ends the process. */
export function runLanguageServer(): Promise<number> {
  const connection = createConnection(process.stdin, process.stdout);
  serve(connection);
  connection.listen();
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}

function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  // one analysis per document version, made when it changes and shared by every request
  const analyzed = new Map<string, AnalyzedDocument>();
  let settings: Settings = readSettings(undefined);
  let refreshHints = false;

  // A bug in a feature must cost that one answer, never the server: log it and answer nothing.
  const guard =
    <P, R>(fallback: R, handler: (params: P) => R) =>
    (params: P): R => {
      try {
        return handler(params);
      } catch (error) {
        connection.console.error(`cnnc lsp: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };

  const current = (uri: string): AnalyzedDocument | undefined => {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    const cached = analyzed.get(uri);
    // TextDocuments updates a document in place on a change, and makes a new one on open
    if (cached?.document === document && cached.version === document.version) return cached;
    const fresh = new AnalyzedDocument(document);
    analyzed.set(uri, fresh);
    return fresh;
  };

  /** Runs a request on the document's current analysis at the given position. */
  const at =
    <R>(fallback: R, run: (doc: AnalyzedDocument, offset: number) => R) =>
    (params: { textDocument: { uri: string }; position: { line: number; character: number } }): R => {
      const doc = current(params.textDocument.uri);
      return doc === undefined ? fallback : run(doc, doc.document.offsetAt(params.position));
    };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    refreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        inlayHintProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        completionProvider: { triggerCharacters: [">", "(", ",", ":", " "] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
      },
      serverInfo: { name: "cnnc" },
    };
  });

  connection.onDidChangeConfiguration(
    guard(undefined, (params: { settings: unknown }) => {
      settings = readSettings((params.settings as { cnnc?: unknown } | null)?.cnnc);
      if (refreshHints) void connection.languages.inlayHint.refresh();
    }),
  );

  documents.onDidChangeContent(
    guard(undefined, ({ document }: { document: TextDocument }) => {
      const doc = current(document.uri)!;
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: lspDiagnostics(doc) });
    }),
  );
  documents.onDidClose(
    guard(undefined, ({ document }: { document: TextDocument }) => {
      analyzed.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    }),
  );

  connection.onHover(guard(null, at(null, hover)));
  connection.onDefinition(guard(null, at(null, definition)));
  connection.onReferences(
    guard([], (params) => at([], (doc, offset) => references(doc, offset, params.context.includeDeclaration))(params)),
  );
  connection.onPrepareRename(guard(null, at(null, prepareRename)));
  connection.onRenameRequest(guard(null, (params) => at(null, (doc, offset) => rename(doc, offset, params.newName))(params)));
  connection.onCompletion(guard([], at([], completions)));
  connection.onDocumentFormatting(
    guard([], (params) => {
      const doc = current(params.textDocument.uri);
      return doc === undefined ? [] : formattingEdits(doc);
    }),
  );
  connection.onDocumentSymbol(
    guard([], (params) => {
      const doc = current(params.textDocument.uri);
      return doc === undefined ? [] : documentSymbols(doc);
    }),
  );
  connection.languages.inlayHint.on(
    guard([], (params) => {
      const doc = current(params.textDocument.uri);
      return doc === undefined || !settings.inlayHints ? [] : inlayHints(doc, params.range);
    }),
  );
  documents.listen(connection);
}
