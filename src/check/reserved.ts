// Names a model may not take: the model becomes an exported class of the same name.

/** JavaScript and TypeScript reserved words, and type names TypeScript forbids as class names. */
const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await " +
    "any boolean number string symbol never unknown object bigint undefined"
  ).split(" "),
);

/** Globals the generated module uses (values and types) or a reader expects to mean the built-in. */
const shadowedGlobals = new Set(
  (
    "Object Array Function Math JSON Number String Boolean Symbol BigInt Error RangeError TypeError Promise Map Set " +
    // types too: a class named ArrayLike breaks every `ArrayLike<number>` in its module
    "ArrayLike Record " +
    "WeakMap WeakSet Date RegExp ArrayBuffer DataView Float32Array Float64Array Int8Array Int16Array Int32Array " +
    "Uint8Array Uint16Array Uint32Array Uint8ClampedArray BigInt64Array BigUint64Array TextEncoder TextDecoder " +
    "Reflect Proxy Intl globalThis NaN Infinity eval arguments console"
  ).split(" "),
);

/** Export names with a meaning to the module system: an exported `then` makes the module
 *  namespace a thenable, so `await import()` would call the class instead of returning it. */
const moduleNames = new Set(["then", "default"]);

export function reservedReason(name: string): "reserved" | "global" | "module" | undefined {
  if (reservedWords.has(name)) return "reserved";
  if (moduleNames.has(name)) return "module";
  if (shadowedGlobals.has(name)) return "global";
  return undefined;
}
