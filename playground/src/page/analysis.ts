// Live analysis: each edit, after a short pause, goes to the analysis worker; only the answer
// to the latest text is shown.
import type { AnalyzeRequest, AnalyzeResponse } from "../shared/protocol.js";

const debounceMilliseconds = 40;

export class LiveAnalysis {
  private readonly worker = new Worker(new URL("analyze.js", import.meta.url), { type: "module" });
  private latest = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sentAt = new Map<number, number>();

  /** `onResult` gets each current answer and the time from the edit to the answer. */
  constructor(onResult: (response: AnalyzeResponse, milliseconds: number) => void, onError: (message: string) => void) {
    this.worker.onmessage = (event: MessageEvent<AnalyzeResponse>) => {
      const editedAt = this.sentAt.get(event.data.id);
      this.sentAt.delete(event.data.id);
      if (event.data.id === this.latest && editedAt !== undefined) onResult(event.data, performance.now() - editedAt);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      onError(`the analysis worker failed: ${event.message}`);
    };
  }

  /** Analyse now (the first text) or after the pause (edits). */
  update(source: string, immediately = false): void {
    const editedAt = performance.now();
    clearTimeout(this.timer);
    const send = (): void => {
      const request: AnalyzeRequest = { id: ++this.latest, source };
      this.sentAt.set(request.id, editedAt);
      this.worker.postMessage(request);
    };
    if (immediately) send();
    else this.timer = setTimeout(send, debounceMilliseconds);
  }
}
