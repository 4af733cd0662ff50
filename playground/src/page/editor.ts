// The program editor (CodeMirror 6) and the read-only pane for the generated module.
import { basicSetup, EditorView } from "codemirror";
import { EditorState, type Text } from "@codemirror/state";
import { lintGutter, setDiagnostics, type Diagnostic as EditorDiagnostic } from "@codemirror/lint";
import { javascript } from "@codemirror/lang-javascript";
import { cnnLanguage } from "./cnn-language.js";
import type { JsonDiagnostic } from "../shared/protocol.js";

export function createEditor(parent: HTMLElement, text: string, onChange: (text: string) => void): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        cnnLanguage,
        lintGutter(),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Underlines each diagnostic; hovering shows its code, message, notes and help. */
export function showDiagnostics(view: EditorView, diagnostics: readonly JsonDiagnostic[]): void {
  const doc = view.state.doc;
  const marks = diagnostics.map((d): EditorDiagnostic => {
    const from = offsetOf(doc, d.line, d.column);
    const to = Math.max(from, offsetOf(doc, d.endLine, d.endColumn));
    return {
      from,
      to,
      severity: d.severity === "error" ? "error" : "warning",
      source: d.code,
      message: `${d.code}: ${d.message}`,
      renderMessage: () => diagnosticNode(d),
    };
  });
  view.dispatch(setDiagnostics(view.state, marks));
}

/** 1-based line and column (UTF-16 units, as the compiler counts) to a document offset. */
function offsetOf(doc: Text, line: number, column: number): number {
  if (line > doc.lines) return doc.length;
  const at = doc.line(Math.max(1, line));
  return Math.min(at.to, at.from + Math.max(0, column - 1));
}

export function diagnosticNode(d: JsonDiagnostic): HTMLElement {
  const node = document.createElement("div");
  const head = document.createElement("div");
  const code = document.createElement("span");
  code.className = "cm-diagnostic-code";
  code.textContent = `${d.severity}[${d.code}]`;
  head.append(code, `: ${d.message}`);
  node.append(head);
  for (const note of d.notes) {
    const line = document.createElement("div");
    line.className = "cm-diagnostic-note";
    line.textContent = `note${note.line === undefined ? "" : ` (line ${note.line})`}: ${note.message}`;
    node.append(line);
  }
  if (d.help !== undefined) {
    const help = document.createElement("div");
    help.className = "cm-diagnostic-help";
    help.textContent = `help: ${d.help}`;
    node.append(help);
  }
  return node;
}

export function replaceText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

export function createCodeView(parent: HTMLElement): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({ doc: "", extensions: [basicSetup, javascript({ typescript: true }), EditorState.readOnly.of(true), EditorView.editable.of(false)] }),
  });
}
