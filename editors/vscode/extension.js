// The VS Code side of cnnc: starts `cnnc lsp` (the command in the `cnnc.command` setting) for
// .cnn files and hands it the `cnnc` settings. Everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const settings = vscode.workspace.getConfiguration("cnnc");
  const [command, ...args] = settings.get("command") ?? ["npx", "cnnc", "lsp"];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // stdio is the server's only transport; `shell` lets `npx` resolve on Windows too
  const server = { command, args, options: { cwd: folder, shell: process.platform === "win32" } };
  client = new LanguageClient("cnnc", "cnnc", server, {
    documentSelector: [{ language: "cnn" }],
    synchronize: { configurationSection: "cnnc" },
    initializationOptions: { inlayHints: { enabled: settings.get("inlayHints.enabled") ?? true } },
  });
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
