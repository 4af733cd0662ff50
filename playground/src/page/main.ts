// The playground page: the editor with live analysis, compile and train on MNIST with live
// charts, a drawing pad classified by the trained network, and the generated code.
import examples from "cnnc:examples";
import type { AnalyzeResponse, ModelSummary, TrainerResponse, TrainSettings } from "../shared/protocol.js";
import { LiveAnalysis } from "./analysis.js";
import { TrainingCharts } from "./charts.js";
import { download } from "./download.js";
import { DrawingPad, renderConfusion, renderProbabilities } from "./draw.js";
import { createCodeView, createEditor, replaceText, showDiagnostics } from "./editor.js";
import { renderDiagnostics, renderShapes, shapeText } from "./table.js";
import { Trainer } from "./trainer.js";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`internal: the page has no #${id}`);
  return found as T;
}

const status = element<HTMLParagraphElement>("status");
const buttons = {
  compile: element<HTMLButtonElement>("compile"),
  train: element<HTMLButtonElement>("train"),
  stop: element<HTMLButtonElement>("stop"),
  ts: element<HTMLButtonElement>("download-ts"),
  js: element<HTMLButtonElement>("download-js"),
  weights: element<HTMLButtonElement>("download-weights"),
};

interface Compiled {
  readonly source: string;
  readonly className: string;
  readonly code: string;
  readonly javascript: string;
}

const state = {
  source: examples[0]?.source ?? "",
  analysis: undefined as AnalyzeResponse | undefined,
  compiled: undefined as Compiled | undefined,
  compiling: false,
  /** the text being compiled: the editor may change before the worker answers */
  compilingSource: "",
  training: false,
  /** whether the compiled model has been trained since it was compiled */
  trained: false,
  trainAfterCompile: false,
  predicting: false,
  pendingPixels: undefined as Float32Array | undefined,
  /** the pixels of the prediction in flight: the worker answers after more strokes may have come */
  predictedPixels: undefined as Float32Array | undefined,
  lastPixels: undefined as Float32Array | undefined,
  /** the readable build of the compiled program, once the worker has made it */
  readable: undefined as string | undefined,
  readablePending: false,
};

function setStatus(text: string, kind: "info" | "error" = "info"): void {
  status.textContent = text;
  status.dataset.kind = kind;
}

/** The model the page trains: the first with a train section; MNIST needs [28, 28, 1] -> [10]. */
function trainableModel(): { model?: ModelSummary; reason?: string } {
  const { analysis } = state;
  if (analysis?.models === undefined) return { reason: "the program has errors: fix them to compile and train" };
  const index = analysis.trainable?.findIndex((t) => t) ?? -1;
  if (index < 0) return { reason: "no model has a train section" };
  const model = analysis.models[index]!;
  if (shapeText(model.input.shape) !== "[28, 28, 1]" || shapeText(model.output.shape) !== "[10]") {
    return { model, reason: `${model.name} maps ${shapeText(model.input.shape)} to ${shapeText(model.output.shape)}; MNIST training needs [28, 28, 1] -> [10]` };
  }
  return { model };
}

function refreshButtons(): void {
  const busy = state.compiling || state.training;
  const ok = state.analysis?.models !== undefined;
  const { reason } = trainableModel();
  buttons.compile.disabled = busy || !ok;
  buttons.train.disabled = busy || reason !== undefined;
  buttons.train.title = reason ?? "";
  buttons.stop.disabled = !state.training;
  buttons.ts.disabled = state.compiled === undefined;
  buttons.js.disabled = state.compiled === undefined;
  buttons.weights.disabled = state.compiled === undefined || busy;
}

// --- live analysis ---------------------------------------------------------------------------

let firstAnalysis = true;
const analysis = new LiveAnalysis(
  (response, milliseconds) => {
    state.analysis = response;
    showDiagnostics(editor, response.diagnostics);
    renderDiagnostics(element("diagnostics"), response.diagnostics);
    if (response.models !== undefined) renderShapes(element("shapes"), response.models);
    else element("shapes").replaceChildren();
    element("analysis-time").textContent = `analysed in ${milliseconds.toFixed(0)} ms (analyze() ${response.milliseconds.toFixed(1)} ms)`;
    document.body.dataset.analysisMs = milliseconds.toFixed(1);
    if (firstAnalysis) {
      firstAnalysis = false;
      // from navigation start: the page, the worker and the first analysis, for the README
      document.body.dataset.firstAnalysisMs = performance.now().toFixed(0);
      if (!state.compiling && !state.training) setStatus("Ready. Compile to see the code; compile and train to fit the network on MNIST.");
    }
    document.body.dataset.analysed = String(response.id);
    refreshButtons();
    const { reason } = trainableModel();
    if (!state.training && !state.compiling && reason !== undefined && response.models !== undefined) setStatus(`Training is off: ${reason}.`);
  },
  (message) => setStatus(message, "error"),
);

const editor = createEditor(element("editor"), state.source, (text) => {
  state.source = text;
  analysis.update(text);
});

const menu = element<HTMLSelectElement>("examples");
for (const example of examples) menu.append(new Option(example.name, example.name));
menu.addEventListener("change", () => {
  const example = examples.find((e) => e.name === menu.value);
  if (example !== undefined) replaceText(editor, example.source);
});

// --- compile, train, predict -----------------------------------------------------------------

const charts = new TrainingCharts(element("loss-chart"), element("accuracy-chart"));
const codeView = createCodeView(element("code"));
const trainer = new Trainer(onTrainerMessage);

function startCompile(train: boolean): void {
  const { model } = trainableModel();
  const name = model?.name ?? state.analysis?.models?.[0]?.name;
  if (name === undefined) return;
  state.compiling = true;
  state.compilingSource = state.source;
  state.trainAfterCompile = train;
  setStatus("Compiling…");
  refreshButtons();
  trainer.post({ kind: "compile", source: state.compilingSource, model: name });
}

function startTraining(): void {
  const settings: TrainSettings = {
    trainCount: readNumber("train-count", 16, 8000),
    testCount: readNumber("test-count", 10, 2000),
    epochs: readNumber("epochs", 1, 50),
    batchSize: readNumber("batch", 1, 512),
    seed: 1,
  };
  state.training = true;
  charts.reset();
  element("confusion").replaceChildren();
  setStatus(`Training ${state.compiled?.className} on ${settings.trainCount} digits for ${settings.epochs} epoch${settings.epochs === 1 ? "" : "s"}…`);
  refreshButtons();
  trainer.train(settings);
}

function readNumber(id: string, min: number, max: number): number {
  const input = element<HTMLInputElement>(id);
  const value = Math.round(Number(input.value));
  const clamped = Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
  input.value = String(clamped);
  return clamped;
}

function onTrainerMessage(message: TrainerResponse): void {
  switch (message.kind) {
    case "compiled":
      state.compiling = false;
      state.compiled = { source: state.compilingSource, className: message.className, code: message.code, javascript: message.javascript };
      state.trained = false;
      state.readable = undefined;
      showCode();
      element("code-info").textContent =
        `${message.className}: ${(message.code.length / 1024).toFixed(1)} KiB of TypeScript; compile() ${ms(message.compileMilliseconds)}, types stripped in ${ms(message.transpileMilliseconds)}`;
      document.body.dataset.compiled = message.className;
      setStatus(`Compiled ${message.className} in ${ms(message.compileMilliseconds)}.`);
      if (state.trainAfterCompile) startTraining();
      break;
    case "readable":
      state.readablePending = false;
      if (state.compiled?.source === message.source) state.readable = message.code;
      showCode();
      break;
    case "compile-failed":
      state.compiling = false;
      setStatus(`The program does not compile: ${message.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`, "error");
      break;
    case "data":
      setStatus(`Training on ${message.train} digits, testing on ${message.test}…`);
      break;
    case "batch": {
      const p = message.point;
      charts.batch(p);
      element("speed").textContent =
        `epoch ${p.epoch}, batch ${p.batch}/${p.batches}: loss ${p.loss.toFixed(4)}, accuracy ${percent(p.accuracy)}, ${Math.round(p.samplesPerSecond).toLocaleString("en-US")} samples/s`;
      break;
    }
    case "test":
      charts.test(message.point, message.epochEnd);
      break;
    case "epoch":
      charts.epoch(message.samples, message.loss, message.accuracy);
      break;
    case "trained":
      state.training = false;
      state.trained = true;
      renderConfusion(element("confusion"), message.confusion);
      document.body.dataset.testAccuracy = String(message.testAccuracy);
      setStatus(
        `${message.stopped ? "Stopped" : "Trained"}: test accuracy ${percent(message.testAccuracy)} (loss ${message.testLoss.toFixed(4)}), ` +
          `${Math.round(message.samplesPerSecond).toLocaleString("en-US")} samples/s. Draw a digit to classify it.`,
      );
      if (state.lastPixels !== undefined) predict(state.lastPixels);
      break;
    case "prediction":
      state.predicting = false;
      showPrediction(message.probabilities, state.predictedPixels);
      if (state.pendingPixels !== undefined) {
        const next = state.pendingPixels;
        state.pendingPixels = undefined;
        predict(next);
      }
      break;
    case "weights":
      download(`${message.className.toLowerCase()}.safetensors`, message.bytes, "application/octet-stream");
      break;
    case "error":
      state.compiling = false;
      state.training = false;
      state.predicting = false;
      setStatus(message.message, "error");
      break;
  }
  refreshButtons();
}

function predict(pixels: Float32Array): void {
  state.lastPixels = pixels;
  if (state.compiled === undefined || state.training || state.compiling) {
    element("prediction").textContent = state.compiled === undefined ? "compile the network first" : "busy training…";
    return;
  }
  if (state.predicting) {
    state.pendingPixels = pixels;
    return;
  }
  state.predicting = true;
  state.predictedPixels = pixels;
  trainer.post({ kind: "predict", pixels });
}

function showPrediction(probabilities: readonly number[], pixels: Float32Array | undefined): void {
  renderProbabilities(element("probabilities"), probabilities);
  // the input these probabilities are of, readable by the playground test (the preview may
  // already show later strokes, whose prediction is still to come)
  if (pixels === undefined) delete element("probabilities").dataset.pixels;
  else element("probabilities").dataset.pixels = JSON.stringify(Array.from(pixels));
  const best = probabilities.reduce((b, p, i) => (p > probabilities[b]! ? i : b), 0);
  element("prediction").textContent = `${best} (${percent(probabilities[best]!)})${state.trained ? "" : ", by the untrained network"}`;
  element("prediction").dataset.digit = String(best);
}

const pad = new DrawingPad(element("pad"), element("preview"), predict);
element("clear").addEventListener("click", () => {
  pad.clear();
  state.lastPixels = undefined;
  element("prediction").textContent = "";
  delete element("prediction").dataset.digit;
  element("probabilities").replaceChildren();
});

buttons.compile.addEventListener("click", () => startCompile(false));
buttons.train.addEventListener("click", () => {
  if (state.compiled?.source === state.source) startTraining();
  else startCompile(true);
});
buttons.stop.addEventListener("click", () => {
  if (!trainer.stop()) {
    // no shared memory: the worker was restarted, and the model with it
    state.training = false;
    state.compiled = undefined;
    setStatus("Stopped; this server does not isolate the page, so the worker was restarted and the weights are gone.");
    refreshButtons();
  } else setStatus("Stopping after this batch…");
});
buttons.ts.addEventListener("click", () => {
  if (!state.compiled) return;
  const readable = showsReadable() && state.readable !== undefined;
  download(`${state.compiled.className.toLowerCase()}${readable ? ".readable" : ""}.ts`, readable ? state.readable! : state.compiled.code, "text/plain");
});

// The code pane shows the tuned build (the module that runs) or, on request, the readable one,
// compiled by the worker the first time it is asked for.
const codeBuild = element<HTMLSelectElement>("code-build");
const showsReadable = (): boolean => codeBuild.value === "readable";
codeBuild.addEventListener("change", () => showCode());

function showCode(): void {
  const compiled = state.compiled;
  if (!compiled) return;
  if (!showsReadable()) {
    replaceText(codeView, compiled.code);
    document.body.dataset.codeBuild = "tuned";
    return;
  }
  if (state.readable === undefined) {
    replaceText(codeView, "// compiling the readable build…");
    if (!state.readablePending) trainer.post({ kind: "readable", source: compiled.source });
    state.readablePending = true;
    return;
  }
  replaceText(codeView, state.readable);
  document.body.dataset.codeBuild = "readable";
}
buttons.js.addEventListener("click", () => {
  if (state.compiled) download(`${state.compiled.className.toLowerCase()}.js`, state.compiled.javascript, "text/javascript");
});
buttons.weights.addEventListener("click", () => trainer.post({ kind: "weights" }));

function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function ms(milliseconds: number): string {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${milliseconds.toFixed(0)} ms`;
}

refreshButtons();
analysis.update(state.source, true);
