// The analysis worker: the compiler's front half (parse and check, no emitter), so it loads in
// a fraction of the compile worker's time and answers while the other one trains.
import { analyze } from "../../../src/analyze.js";
import { summarize } from "../../../src/cli/summary.js";
import { toJsonDiagnostics } from "../../../src/diagnostics/json.js";
import type { AnalyzeRequest, AnalyzeResponse } from "../shared/protocol.js";

self.onmessage = (event: MessageEvent<AnalyzeRequest>) => {
  const { id, source } = event.data;
  const start = performance.now();
  const analysis = analyze(source, "playground.cnn");
  const diagnostics = toJsonDiagnostics(analysis.diagnostics, analysis.file);
  const response: AnalyzeResponse = analysis.checked
    ? {
        id,
        diagnostics,
        models: summarize(analysis.checked, analysis.file),
        trainable: analysis.checked.models.map((m) => m.train !== undefined),
        milliseconds: performance.now() - start,
      }
    : { id, diagnostics, milliseconds: performance.now() - start };
  self.postMessage(response);
};
