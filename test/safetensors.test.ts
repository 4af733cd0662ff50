// saveWeights / loadWeights on real compiled models: bit-exact round trips, files from an
// independent writer, and every kind of corrupt file rejected with its own message while the
// model's weights stay exactly as they were.
import { describe, expect, it } from "vitest";
import { loadModel } from "./helpers/load.js";

const source = `
model Tiny {
  input image: [6, 6, 2]
  features = image |> conv2d(3, kernel: 3) |> relu |> maxpool(2)
  logits = features |> flatten |> dense(4)
  train {
    loss softmax_cross_entropy(logits)
    optimizer sgd(lr: 0.1)
  }
}
`;

interface Weight {
  name: string;
  shape: number[];
  data: Float32Array | Float64Array;
}

interface Model {
  getWeights(): Weight[];
  saveWeights(): Uint8Array;
  loadWeights(bytes: Uint8Array): void;
}

type ModelClass = new (options?: { seed?: number }) => Model;

const compiledCache = new Map<string, Promise<ModelClass>>();

/** Compiles once per precision: compiling dominates these tests' time. */
function modelClass(precision: "f32" | "f64"): Promise<ModelClass> {
  let model = compiledCache.get(precision);
  if (model === undefined) {
    model = loadModel(source, { path: "tiny.cnn", precision }).then((module) => module["Tiny"] as ModelClass);
    compiledCache.set(precision, model);
  }
  return model;
}

/** The raw bytes of every weight, for bit-exact comparisons (NaN-safe, -0-safe). */
function weightBytes(model: Model): number[][] {
  return model.getWeights().map((w) => Array.from(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
}

interface Parsed {
  header: Record<string, any>;
  data: Uint8Array;
}

function parseFile(bytes: Uint8Array): Parsed {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  return { header, data: bytes.slice(8 + length) };
}

/** A file from a header given as text (to write duplicate keys or bad JSON) and a data section. */
function fileFromText(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

function fileFrom(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  return fileFromText(JSON.stringify(header), data);
}

/**
 * An independent minimal writer: metadata first, tensors stored in reverse declaration order,
 * no padding, values written one by one through DataView. Shares no code with the generated one.
 */
function independentWriter(weights: readonly Weight[], dtype: "F32" | "F64"): Uint8Array {
  const size = dtype === "F64" ? 8 : 4;
  const header: Record<string, unknown> = { __metadata__: { note: "written by the test" } };
  const total = weights.reduce((sum, w) => sum + w.data.length * size, 0);
  const data = new Uint8Array(total);
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const w of [...weights].reverse()) {
    header[w.name] = { dtype, shape: w.shape, data_offsets: [offset, offset + w.data.length * size] };
    w.data.forEach((v, i) => (dtype === "F64" ? view.setFloat64(offset + i * 8, v, true) : view.setFloat32(offset + i * 4, v, true)));
    offset += w.data.length * size;
  }
  return fileFrom(header, data);
}

describe.each(["f32", "f64"] as const)("safetensors round trip (%s)", (precision) => {
  it("saves and loads bit-exactly into a differently seeded model", async () => {
    const Tiny = await modelClass(precision);
    const source = new Tiny({ seed: 1 });
    const target = new Tiny({ seed: 2 });
    expect(weightBytes(target)).not.toEqual(weightBytes(source));
    target.loadWeights(source.saveWeights());
    expect(weightBytes(target)).toEqual(weightBytes(source));
  });

  it("writes the documented layout: u64 length, padded JSON header, contiguous tensors", async () => {
    const Tiny = await modelClass(precision);
    const model = new Tiny({ seed: 3 });
    const bytes = model.saveWeights();
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const { header, data } = parseFile(bytes);
    const dtype = precision === "f64" ? "F64" : "F32";
    const weights = model.getWeights();
    expect(Object.keys(header)).toEqual([...weights.map((w) => w.name), "__metadata__"]);
    expect(header["__metadata__"]).toMatchObject({ model: "Tiny", format: "cnnc" });
    expect(typeof header["__metadata__"].arch).toBe("string");
    let offset = 0;
    for (const w of weights) {
      const bytesPerValue = dtype === "F64" ? 8 : 4;
      expect(header[w.name]).toEqual({ dtype, shape: w.shape, data_offsets: [offset, offset + w.data.length * bytesPerValue] });
      offset += w.data.length * bytesPerValue;
    }
    expect(data.length).toBe(offset);
  });

  it("loads a file from an independent writer (reordered tensors, no padding, foreign metadata)", async () => {
    const Tiny = await modelClass(precision);
    const source = new Tiny({ seed: 4 });
    const target = new Tiny({ seed: 5 });
    target.loadWeights(independentWriter(source.getWeights(), precision === "f64" ? "F64" : "F32"));
    expect(weightBytes(target)).toEqual(weightBytes(source));
  });
});

describe("safetensors dtype conversion", () => {
  it("loads an F32 file into an f64 model, widening exactly", async () => {
    const Small = await modelClass("f32");
    const Wide = await modelClass("f64");
    const small = new Small({ seed: 6 });
    const wide = new Wide({ seed: 7 });
    wide.loadWeights(small.saveWeights());
    expect(wide.getWeights().map((w) => Array.from(w.data))).toEqual(small.getWeights().map((w) => Array.from(w.data)));
  });

  it("rejects a dtype other than F32 and F64", async () => {
    const Small = await modelClass("f32");
    const small = new Small({ seed: 6 });
    const before = weightBytes(small);
    const good = new Small({ seed: 7 }).saveWeights();
    const parsed = parseFile(good);
    for (const entry of Object.values(parsed.header)) if ((entry as { dtype?: string }).dtype) (entry as { dtype: string }).dtype = "I32";
    expect(() => small.loadWeights(fileFrom(parsed.header, parsed.data))).toThrow(/has dtype "I32", expected F32 or F64/);
    expect(weightBytes(small)).toEqual(before);
  });
});

describe("safetensors corruptions", () => {
  /** Each case builds a bad file from a good one; its message must say what is wrong. */
  interface Case {
    readonly name: string;
    readonly make: (good: Uint8Array, names: readonly string[]) => Uint8Array;
    readonly message: RegExp;
  }

  function edit(good: Uint8Array, change: (p: Parsed) => void): Uint8Array {
    const parsed = parseFile(good);
    change(parsed);
    return fileFrom(parsed.header, parsed.data);
  }

  const headerEnd = (good: Uint8Array): number => 8 + Number(new DataView(good.buffer).getBigUint64(0, true));
  const first = (names: readonly string[]): string => names[0]!;
  const last = (names: readonly string[]): string => names[names.length - 1]!;

  const cases: Case[] = [
    { name: "empty file", make: () => new Uint8Array(0), message: /the file is 0 bytes, too short/ },
    { name: "truncated in the length field", make: (g) => g.slice(0, 5), message: /the file is 5 bytes, too short/ },
    { name: "truncated in the header", make: (g) => g.slice(0, 20), message: /header length \d+ exceeds the 12 bytes/ },
    {
      name: "truncated at the end of the header",
      make: (g) => g.slice(0, headerEnd(g)),
      message: /tensor "[^"]+" has data_offsets \[0, \d+\] out of range: the data section is 0 bytes/,
    },
    {
      name: "truncated in the data",
      make: (g) => g.slice(0, g.length - 1),
      message: /tensor "[^"]+" has data_offsets \[\d+, \d+\] out of range: the data section is \d+ bytes/,
    },
    {
      name: "header length beyond the file",
      make: (g) => {
        const bad = g.slice();
        new DataView(bad.buffer).setUint32(4, 1, true);
        return bad;
      },
      message: /header length 42949\d+ exceeds/,
    },
    { name: "header length zero", make: (g) => fileFromText("", parseFile(g).data), message: /header length 0 is too short/ },
    {
      name: "header not UTF-8",
      make: (g) => {
        const bad = g.slice();
        bad[9] = 0xff;
        return bad;
      },
      message: /not valid UTF-8/,
    },
    {
      name: "bad JSON",
      make: (g) => fileFromText(new TextDecoder().decode(g.subarray(8, headerEnd(g))).replace("{", "{{"), parseFile(g).data),
      message: /not valid JSON/,
    },
    { name: "header not an object", make: (g) => fileFromText("[1, 2]", parseFile(g).data), message: /must be a JSON object, got an array/ },
    {
      name: "duplicate tensor name",
      make: (g, names) => {
        const text = new TextDecoder().decode(g.subarray(8, headerEnd(g))).trimEnd();
        const entry = JSON.stringify(parseFile(g).header[first(names)]);
        return fileFromText(`${text.slice(0, -1)},${JSON.stringify(first(names))}:${entry}}`, parseFile(g).data);
      },
      message: /the key "[^"]+" twice/,
    },
    {
      name: "missing tensor",
      make: (g, names) => edit(g, (p) => delete p.header[first(names)]),
      message: /tensor "[^"]+" is missing from the file/,
    },
    {
      name: "extra tensor",
      make: (g) => edit(g, (p) => (p.header["extra.kernel"] = { dtype: "F32", shape: [1], data_offsets: [0, 4] })),
      message: /unexpected tensor "extra.kernel"/,
    },
    {
      name: "wrong shape",
      make: (g, names) => edit(g, (p) => p.header[first(names)].shape.reverse().push(1)),
      message: /tensor "[^"]+" has shape \[[\d,]+\], expected \[[\d,]+\]/,
    },
    {
      name: "wrong dtype",
      make: (g, names) => edit(g, (p) => (p.header[first(names)].dtype = "I32")),
      message: /tensor "[^"]+" has dtype "I32", expected F32/,
    },
    {
      name: "offsets not integers",
      make: (g, names) => edit(g, (p) => (p.header[first(names)].data_offsets = [0, "8"])),
      message: /has data_offsets \[0,"8"\], expected \[begin, end\] as non-negative integers/,
    },
    {
      name: "offsets out of range",
      make: (g, names) =>
        edit(g, (p) => {
          const [begin, end] = p.header[last(names)].data_offsets;
          p.header[last(names)].data_offsets = [begin + 8, end + 8];
        }),
      message: /out of range: the data section is \d+ bytes/,
    },
    {
      name: "offsets of the wrong length",
      make: (g, names) =>
        edit(g, (p) => {
          const [begin, end] = p.header[last(names)].data_offsets;
          p.header[last(names)].data_offsets = [begin, end - 4];
        }),
      message: /spanning \d+ bytes, expected \d+ for shape/,
    },
    {
      name: "offsets overlapping",
      make: (g, names) =>
        edit(g, (p) => {
          const [begin, end] = p.header[last(names)].data_offsets;
          p.header[last(names)].data_offsets = [begin - 4, end - 4];
        }),
      message: /overlapping tensor "[^"]+", which ends at \d+/,
    },
    {
      name: "offsets not contiguous",
      make: (g, names) =>
        edit(g, (p) => {
          const [begin, end] = p.header[last(names)].data_offsets;
          p.header[last(names)].data_offsets = [begin + 4, end + 4];
          p.data = Uint8Array.from([...p.data, 0, 0, 0, 0]);
        }),
      message: /not contiguous: 4 unused bytes after tensor "[^"]+"/,
    },
    {
      name: "trailing data",
      make: (g) => edit(g, (p) => (p.data = Uint8Array.from([...p.data, 1, 2, 3, 4]))),
      message: /the data section is \d+ bytes but the tensors cover \d+ \(4 extra bytes/,
    },
    {
      name: "metadata value not a string",
      make: (g) => edit(g, (p) => (p.header["__metadata__"].format = 3)),
      message: /__metadata__.format must be a string/,
    },
    {
      name: "architecture mismatch",
      make: (g) => edit(g, (p) => (p.header["__metadata__"].arch = "0000feed")),
      message: /architecture hash 0000feed differs from this model's \w+/,
    },
  ];

  it("rejects each corruption with its own message and leaves the weights untouched", async () => {
    const Tiny = await modelClass("f32");
    const good = new Tiny({ seed: 8 }).saveWeights();
    const model = new Tiny({ seed: 9 });
    const names = model.getWeights().map((w) => w.name);
    const before = weightBytes(model);
    for (const c of cases) {
      const bad = c.make(good, names);
      let message = "";
      try {
        model.loadWeights(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, c.name).toMatch(c.message);
      expect(weightBytes(model), c.name).toEqual(before);
    }
  });

  it("rejects a truncation at every byte of a file", { timeout: 30_000 }, async () => {
    const Tiny = await modelClass("f32");
    const good = new Tiny({ seed: 10 }).saveWeights();
    const model = new Tiny({ seed: 11 });
    const before = weightBytes(model);
    for (let length = 0; length < good.length; length++) {
      expect(() => model.loadWeights(good.subarray(0, length)), `truncated to ${length} bytes`).toThrow(/^loadWeights: /);
    }
    expect(weightBytes(model)).toEqual(before);
    model.loadWeights(good);
    expect(weightBytes(model)).not.toEqual(before);
  });
});
