// One short session with a generated model, the same in every runtime: a few training steps,
// a short fit, predictions, weights saved and loaded into a fresh instance. Plain JavaScript
// with no runtime's API, so Node, Deno, Bun and a browser all run this very file.

/** Which runtime this is, by what only that runtime defines. */
function runtime() {
  if (typeof globalThis.Deno !== "undefined") return `deno ${globalThis.Deno.version.deno}`;
  if (typeof globalThis.Bun !== "undefined") return `bun ${globalThis.Bun.version}`;
  if (typeof globalThis.document !== "undefined") return `browser ${globalThis.navigator.userAgent}`;
  return `node ${globalThis.process.versions.node}`;
}

export async function session(Model) {
  // the wasm target: compile its module asynchronously first, as a browser's main thread must
  // (it refuses a synchronous compile of more than 4 KB); `new` then reuses it
  if (typeof Model.create === "function") await Model.create({ seed: 7 });
  const n = 8;
  const xs = Float32Array.from({ length: n * Model.inputSize }, (_, i) => Math.sin(i * 0.37) * 0.5);
  const labels = Int32Array.from({ length: n }, (_, i) => i % Model.outputSize);
  const net = new Model({ seed: 7 });
  const losses = [];
  const half = [xs.subarray(0, 4 * Model.inputSize), labels.subarray(0, 4)];
  for (let step = 0; step < 4; step++) losses.push(net.trainBatch(half[0], half[1], 4));
  const { history } = net.fit(xs, labels, n, { epochs: 2, batchSize: 4, seed: 3 });
  const probs = [...net.predictBatch(xs, n)];
  const saved = net.saveWeights();
  const copy = new Model({ seed: 99 });
  copy.loadWeights(saved);
  return {
    runtime: runtime(),
    losses,
    fitLosses: history.map((h) => h.loss),
    probs,
    weights: net.getWeights().flatMap((w) => [...w.data]),
    savedBytes: saved.length,
    // a saved and loaded model predicts the very same bits
    reloaded: [...copy.predictBatch(xs, n)].every((p, i) => Object.is(p, probs[i])),
  };
}
