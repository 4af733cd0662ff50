// saveWeights / loadWeights in the safetensors format, spliced into every generated class:
// u64 little-endian header length N, N bytes of UTF-8 JSON (space-padded to a multiple of 8),
// then the raw little-endian tensors. loadWeights validates the whole file before writing a
// single value, then hands the tensors to setWeights (which writes all or nothing).
// Dtypes: F32 and F64 files load into both builds: F32 into f64 widens exactly, F64 into f32
// rounds to nearest (as Math.fround), and a value beyond float32's range is refused as
// non-finite by setWeights; every other dtype is rejected.
// Offsets: the tensors must tile the data section exactly (no gap, no overlap, nothing after),
// in any order, because Python's safetensors writer orders tensors by alignment and name.
import { Scope, StructureKind, type ClassMemberStructures, type MethodDeclarationStructure } from "ts-morph";
import type { RuntimeContext } from "./types.js";

/** What loadWeights learned about one tensor from the header; the type of the private helpers. */
const spanType = "{ name: string; dtype: string; begin: number; end: number }";

export function safetensorsMembers(ctx: RuntimeContext): ClassMemberStructures[] {
  return [
    saveMethod(ctx),
    loadMethod(ctx),
    headerMethod(),
    duplicateKeyMethod(),
    metadataMethod(ctx),
    entryMethod(),
    tilingMethod(),
    readMethod(ctx),
  ];
}

function method(
  name: string,
  parameters: readonly (readonly [string, string])[],
  returnType: string,
  statements: string,
  docs: string[] = [],
): MethodDeclarationStructure {
  return {
    kind: StructureKind.Method,
    name,
    scope: name.startsWith("safetensors") ? Scope.Private : undefined,
    docs,
    parameters: parameters.map(([pName, type]) => ({ kind: StructureKind.Parameter, name: pName, type })),
    returnType,
    statements,
  };
}

function elementBytes(ctx: RuntimeContext): string {
  return JSON.stringify(ctx.dtype === "F64" ? 8 : 4);
}

function saveMethod(ctx: RuntimeContext): MethodDeclarationStructure {
  const size = elementBytes(ctx);
  const setter = ctx.dtype === "F64" ? "setFloat64" : "setFloat32";
  const body = `
const weights = this.getWeights();
const header: Record<string, unknown> = {};
let offset = 0;
for (const w of weights) {
  const length = w.data.length * ${size};
  header[w.name] = { dtype: ${JSON.stringify(ctx.dtype)}, shape: w.shape, data_offsets: [offset, offset + length] };
  offset += length;
}
header["__metadata__"] = { model: ${JSON.stringify(ctx.modelName)}, arch: ${JSON.stringify(ctx.archHash)}, format: "cnnc" };
const json = new TextEncoder().encode(JSON.stringify(header));
// Spaces pad the header so the tensor data starts 8-byte aligned, as the format recommends.
const headerLength = Math.ceil(json.length / 8) * 8;
const bytes = new Uint8Array(8 + headerLength + offset);
const view = new DataView(bytes.buffer);
view.setUint32(0, headerLength, true);
view.setUint32(4, 0, true);
bytes.set(json, 8);
bytes.fill(32, 8 + json.length, 8 + headerLength);
let position = 8 + headerLength;
for (const w of weights) {
  for (let i = 0; i < w.data.length; i++) {
    view.${setter}(position, w.data[i]!, true);
    position += ${size};
  }
}
return bytes;`;
  return method("saveWeights", [], "Uint8Array", body, [
    "The weights in the safetensors format (opens in Python's safetensors); metadata names the model and its architecture hash.",
  ]);
}

function loadMethod(ctx: RuntimeContext): MethodDeclarationStructure {
  const body = `
// fetch() gives an ArrayBuffer, Node's readFile a Buffer (a Uint8Array): both are bytes
if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
  throw new TypeError(\`loadWeights: expected the file's bytes as a Uint8Array or an ArrayBuffer, got \${Object.prototype.toString.call(input)}\`);
}
const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
const { header, dataStart } = this.safetensorsHeader(bytes);
const expected = this.getWeights();
const names = new Set(expected.map((w) => w.name));
for (const key of Object.keys(header)) {
  if (key !== "__metadata__" && !names.has(key)) {
    throw new Error(\`loadWeights: unexpected tensor "\${key}" in the file: this model has no such parameter\`);
  }
}
const dataLength = bytes.length - dataStart;
const spans = expected.map((w) => this.safetensorsEntry(w.name, w.shape, header[w.name], dataLength));
this.safetensorsTiling(spans, dataLength);
this.safetensorsMetadata(header["__metadata__"]);
const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataLength);
this.setWeights(expected.map((w, i) => ({ name: w.name, shape: w.shape, data: this.safetensorsRead(view, spans[i]!) })));`;
  return method("loadWeights", [["input", "Uint8Array | ArrayBuffer"]], "void", body, [
    `Loads a safetensors file (a Uint8Array or an ArrayBuffer). Everything is validated before any weight changes: a\nmismatch throws an Error naming the tensor and what differs. Accepts dtype F32 or F64 (${ctx.dtype === "F64" ? "F32 widened exactly" : "F64 rounded to float32"}).`,
  ]);
}

function headerMethod(): MethodDeclarationStructure {
  const body = `
if (bytes.length < 8) {
  throw new Error(\`loadWeights: the file is \${bytes.length} bytes, too short for its 8-byte header length\`);
}
const prefix = new DataView(bytes.buffer, bytes.byteOffset, 8);
const length = prefix.getUint32(4, true) * 4294967296 + prefix.getUint32(0, true);
if (length > bytes.length - 8) {
  throw new Error(\`loadWeights: header length \${length} exceeds the \${bytes.length - 8} bytes that follow the length field\`);
}
if (length < 2) throw new Error(\`loadWeights: header length \${length} is too short for a JSON object\`);
let text: string;
try {
  text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + length));
} catch {
  throw new Error("loadWeights: the header is not valid UTF-8");
}
let parsed: unknown;
try {
  parsed = JSON.parse(text);
} catch (error) {
  throw new Error(\`loadWeights: the header is not valid JSON (\${error instanceof Error ? error.message : String(error)})\`);
}
if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
  throw new Error(\`loadWeights: the header must be a JSON object, got \${Array.isArray(parsed) ? "an array" : String(parsed)}\`);
}
const duplicate = this.safetensorsDuplicateKey(text);
if (duplicate !== null) {
  throw new Error(\`loadWeights: the header has the key "\${duplicate}" twice in one object (duplicate tensor or field)\`);
}
return { header: parsed as Record<string, unknown>, dataStart: 8 + length };`;
  return method("safetensorsHeader", [["bytes", "Uint8Array"]], "{ header: Record<string, unknown>; dataStart: number }", body);
}

function duplicateKeyMethod(): MethodDeclarationStructure {
  // Runs on text JSON.parse accepted, so strings are well formed and the scan terminates.
  const body = `
const objects: (Set<string> | null)[] = [];
let i = 0;
while (i < text.length) {
  const c = text.charCodeAt(i);
  if (c === 123) objects.push(new Set<string>());
  else if (c === 91) objects.push(null);
  else if (c === 125 || c === 93) objects.pop();
  if (c !== 34) {
    i++;
    continue;
  }
  let end = i + 1;
  while (text.charCodeAt(end) !== 34) end += text.charCodeAt(end) === 92 ? 2 : 1;
  const literal = text.slice(i, end + 1);
  i = end + 1;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) i++;
  const keys = objects[objects.length - 1];
  if (keys === undefined || keys === null || text.charCodeAt(i) !== 58) continue;
  const key = JSON.parse(literal) as string;
  if (keys.has(key)) return key;
  keys.add(key);
}
return null;`;
  return method("safetensorsDuplicateKey", [["text", "string"]], "string | null", body, [
    "JSON.parse silently keeps the last of two equal keys, so repeated keys are found by scanning the text.",
  ]);
}

function metadataMethod(ctx: RuntimeContext): MethodDeclarationStructure {
  const arch = JSON.stringify(ctx.archHash);
  const body = `
if (metadata === undefined) return;
if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
  throw new Error("loadWeights: __metadata__ must be an object of strings");
}
const entries = metadata as Record<string, unknown>;
for (const [key, value] of Object.entries(entries)) {
  if (typeof value !== "string") throw new Error(\`loadWeights: __metadata__.\${key} must be a string, got \${JSON.stringify(value)}\`);
}
const arch = entries["arch"];
if (arch !== undefined && arch !== ${arch}) {
  throw new Error(\`loadWeights: the file's architecture hash \${String(arch)} differs from this model's \${${arch}} (file written for model "\${String(entries["model"])}")\`);
}`;
  return method("safetensorsMetadata", [["metadata", "unknown"]], "void", body, [
    "A file without metadata (written by another tool) is accepted; an architecture hash, when present, must match.",
  ]);
}

function entryMethod(): MethodDeclarationStructure {
  const accepted = `dtype !== "F64" && dtype !== "F32"`;
  const elementSize = `(dtype === "F64" ? 8 : 4)`;
  const body = `
if (entry === undefined) throw new Error(\`loadWeights: tensor "\${name}" is missing from the file\`);
if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
  throw new Error(\`loadWeights: tensor "\${name}": its header entry must be an object, got \${JSON.stringify(entry)}\`);
}
const { dtype, shape: fileShape, data_offsets: offsets } = entry as Record<string, unknown>;
if (typeof dtype !== "string" || ${accepted}) {
  throw new Error(\`loadWeights: tensor "\${name}" has dtype \${JSON.stringify(dtype)}, expected F32 or F64\`);
}
const sameShape = Array.isArray(fileShape) && fileShape.length === shape.length && fileShape.every((d, k) => d === shape[k]);
if (!sameShape) {
  throw new Error(\`loadWeights: tensor "\${name}" has shape \${JSON.stringify(fileShape)}, expected \${JSON.stringify(shape)}\`);
}
if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
  throw new Error(\`loadWeights: tensor "\${name}" has data_offsets \${JSON.stringify(offsets)}, expected [begin, end] as non-negative integers\`);
}
const begin = offsets[0] as number;
const end = offsets[1] as number;
if (begin > end || end > dataLength) {
  throw new Error(\`loadWeights: tensor "\${name}" has data_offsets [\${begin}, \${end}] out of range: the data section is \${dataLength} bytes\`);
}
const expectedBytes = shape.reduce((a, b) => a * b, 1) * ${elementSize};
if (end - begin !== expectedBytes) {
  throw new Error(\`loadWeights: tensor "\${name}" has data_offsets [\${begin}, \${end}] spanning \${end - begin} bytes, expected \${expectedBytes} for shape \${JSON.stringify(shape)} in \${dtype}\`);
}
return { name, dtype, begin, end };`;
  return method(
    "safetensorsEntry",
    [
      ["name", "string"],
      ["shape", "readonly number[]"],
      ["entry", "unknown"],
      ["dataLength", "number"],
    ],
    spanType,
    body,
  );
}

function tilingMethod(): MethodDeclarationStructure {
  const body = `
const sorted = [...spans].sort((a, b) => a.begin - b.begin || a.end - b.end);
let cursor = 0;
let previous = "the start of the data section";
for (const span of sorted) {
  if (span.begin < cursor) {
    throw new Error(\`loadWeights: tensor "\${span.name}" has data_offsets [\${span.begin}, \${span.end}] overlapping \${previous}, which ends at \${cursor}\`);
  }
  if (span.begin > cursor) {
    throw new Error(\`loadWeights: tensor "\${span.name}" has data_offsets [\${span.begin}, \${span.end}], not contiguous: \${span.begin - cursor} unused bytes after \${previous}\`);
  }
  cursor = span.end;
  previous = \`tensor "\${span.name}"\`;
}
if (cursor !== dataLength) {
  throw new Error(\`loadWeights: the data section is \${dataLength} bytes but the tensors cover \${cursor} (\${dataLength - cursor} extra bytes after \${previous})\`);
}`;
  return method(
    "safetensorsTiling",
    [
      ["spans", `readonly ${spanType}[]`],
      ["dataLength", "number"],
    ],
    "void",
    body,
  );
}

function readMethod(ctx: RuntimeContext): MethodDeclarationStructure {
  const body = `
const wide = span.dtype === "F64";
const count = (span.end - span.begin) / (wide ? 8 : 4);
const data = new ${ctx.array === "Float64Array" ? "Float64Array" : "Float32Array"}(count);
for (let i = 0; i < count; i++) {
  data[i] = wide ? view.getFloat64(span.begin + i * 8, true) : view.getFloat32(span.begin + i * 4, true);
}
return data;`;
  return method(
    "safetensorsRead",
    [
      ["view", "DataView"],
      ["span", spanType],
    ],
    ctx.array === "Float64Array" ? "Float64Array" : "Float32Array",
    body,
  );
}
