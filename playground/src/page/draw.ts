// The drawing pad: pointer strokes in white on black, and after each change the 28x28 input
// the network sees (also shown, enlarged, in the preview canvas).
import { side, toMnist } from "../shared/downsample.js";

export class DrawingPad {
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private frame = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly preview: HTMLCanvasElement,
    private readonly onChange: (pixels: Float32Array) => void,
  ) {
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.drawing = true;
      this.last = this.point(e);
      this.stroke(this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (this.drawing) this.stroke(this.point(e));
    });
    const end = (): void => {
      this.drawing = false;
      this.last = null;
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    const ctx = this.context();
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.preview.getContext("2d")!.clearRect(0, 0, side, side);
    delete this.preview.dataset.pixels;
  }

  private context(): CanvasRenderingContext2D {
    return this.canvas.getContext("2d", { willReadFrequently: true })!;
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) * this.canvas.width) / rect.width, y: ((e.clientY - rect.top) * this.canvas.height) / rect.height };
  }

  private stroke(to: { x: number; y: number }): void {
    const ctx = this.context();
    const from = this.last ?? to;
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = this.canvas.width / 12;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + 0.01, to.y);
    ctx.stroke();
    this.last = to;
    // one downsampling per frame, however many pointer events arrive
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.changed());
  }

  private changed(): void {
    this.frame = 0;
    const { width, height } = this.canvas;
    const rgba = this.context().getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4]! / 255;
    const pixels = toMnist(ink, width, height);
    this.showPreview(pixels);
    // what the network is given, readable from the console (and by the playground test)
    this.preview.dataset.pixels = JSON.stringify(Array.from(pixels));
    this.onChange(pixels);
  }

  private showPreview(pixels: Float32Array): void {
    const ctx = this.preview.getContext("2d")!;
    const image = ctx.createImageData(side, side);
    pixels.forEach((v, i) => {
      const level = Math.round(v * 255);
      image.data.set([level, level, level, 255], i * 4);
    });
    ctx.putImageData(image, 0, 0);
  }
}

/** Ten bars, one per class; the most probable in another colour. */
export function renderProbabilities(parent: HTMLElement, probabilities: readonly number[]): void {
  const best = probabilities.reduce((b, p, i) => (p > probabilities[b]! ? i : b), 0);
  parent.replaceChildren(
    ...probabilities.map((p, digit) => {
      const row = document.createElement("div");
      row.className = digit === best ? "bar-row best" : "bar-row";
      row.dataset.digit = String(digit);
      row.dataset.probability = String(p);
      const label = document.createElement("span");
      label.textContent = String(digit);
      const track = document.createElement("div");
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      track.append(bar);
      const value = document.createElement("span");
      value.textContent = `${(p * 100).toFixed(1)}%`;
      row.append(label, track, value);
      return row;
    }),
  );
}

export function renderConfusion(parent: HTMLElement, matrix: readonly (readonly number[])[]): void {
  const table = document.createElement("table");
  table.createCaption().textContent = "confusion matrix on the test digits (rows: true digit, columns: predicted)";
  const head = table.createTHead().insertRow();
  for (const text of ["", ...matrix.map((_, k) => String(k)), "recall"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  matrix.forEach((counts, digit) => {
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.textContent = String(digit);
    tr.append(th);
    counts.forEach((n, k) => {
      const td = tr.insertCell();
      td.textContent = String(n);
      if (k === digit) td.className = "hit";
    });
    const total = counts.reduce((a, b) => a + b, 0);
    tr.insertCell().textContent = total === 0 ? "-" : `${((100 * counts[digit]!) / total).toFixed(1)}%`;
  });
  parent.replaceChildren(table);
}
