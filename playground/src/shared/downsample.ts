// A drawing to a 28x28 MNIST input, prepared as MNIST's digits were: the ink's bounding box
// scaled to fit 20x20 (aspect kept, each target pixel the area average of the source pixels it
// covers, so edges come out anti-aliased), then placed in the 28x28 frame with its centre of
// mass at the centre.

export const side = 28;
const box = 20;

/** `ink` is row-major `width` x `height`, 0 = background, 1 = full ink. All zeros in, all zeros out. */
export function toMnist(ink: Float32Array, width: number, height: number): Float32Array {
  const bounds = inkBounds(ink, width, height);
  const out = new Float32Array(side * side);
  if (bounds === null) return out;
  const scaled = fitBox(ink, width, bounds);
  const mass = centreOfMass(scaled.pixels, scaled.width, scaled.height);
  // where the scaled image's top-left goes so that its centre of mass lands on (14, 14)
  const left = Math.round(side / 2 - mass.x);
  const top = Math.round(side / 2 - mass.y);
  for (let y = 0; y < scaled.height; y++) {
    for (let x = 0; x < scaled.width; x++) {
      const tx = x + left;
      const ty = y + top;
      if (tx >= 0 && tx < side && ty >= 0 && ty < side) out[ty * side + tx] = scaled.pixels[y * scaled.width + x]!;
    }
  }
  return out;
}

interface Bounds {
  readonly x0: number;
  readonly y0: number;
  /** exclusive */
  readonly x1: number;
  readonly y1: number;
}

function inkBounds(ink: Float32Array, width: number, height: number): Bounds | null {
  let x0 = width, y0 = height, x1 = 0, y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= 0) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 === 0 ? null : { x0, y0, x1, y1 };
}

interface Scaled {
  readonly pixels: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Area-average resampling of the bounding box so that its longer side becomes 20 pixels. */
function fitBox(ink: Float32Array, width: number, b: Bounds): Scaled {
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const scale = box / Math.max(w, h);
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));
  const pixels = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    // the source rows [sy0, sy1) this target row covers, in fractional source pixels
    const sy0 = b.y0 + (ty * h) / th;
    const sy1 = b.y0 + ((ty + 1) * h) / th;
    for (let tx = 0; tx < tw; tx++) {
      const sx0 = b.x0 + (tx * w) / tw;
      const sx1 = b.x0 + ((tx + 1) * w) / tw;
      let sum = 0;
      for (let sy = Math.floor(sy0); sy < sy1; sy++) {
        const cy = Math.min(sy + 1, sy1) - Math.max(sy, sy0);
        for (let sx = Math.floor(sx0); sx < sx1; sx++) {
          const cx = Math.min(sx + 1, sx1) - Math.max(sx, sx0);
          sum += ink[sy * width + sx]! * cx * cy;
        }
      }
      pixels[ty * tw + tx] = Math.min(1, sum / ((sx1 - sx0) * (sy1 - sy0)));
    }
  }
  return { pixels, width: tw, height: th };
}

/** The ink-weighted mean position, in pixel-centre coordinates (a pixel at x spans [x, x+1)). */
export function centreOfMass(pixels: Float32Array, width: number, height: number): { x: number; y: number } {
  let total = 0, mx = 0, my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x]!;
      total += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  return total === 0 ? { x: width / 2, y: height / 2 } : { x: mx / total, y: my / total };
}
