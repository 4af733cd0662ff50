// UTF-8 validation of the source bytes, so a stray Latin-1 byte is reported where it is instead
// of being silently replaced by U+FFFD.
import { isUtf8 } from "node:buffer";

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  // the native check is the common case; the scan below only runs to locate a bad byte
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

// The length of the well-formed sequence starting at i, or 0 (the Unicode standard's table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF).
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** "not valid UTF-8: byte 0xE9 at line 3, column 7 (byte offset 41)"; the column counts UTF-16
 *  code units, as diagnostics do. */
export function describeInvalidUtf8(bytes: Uint8Array, offset: number): string {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]!;
    if (b === 10 || (b === 13 && bytes[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  // everything before `offset` is valid, so it decodes exactly
  const column = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(lineStart, offset)).length + 1;
  const hex = bytes[offset]!.toString(16).toUpperCase().padStart(2, "0");
  return `not valid UTF-8: byte 0x${hex} at line ${line}, column ${column} (byte offset ${offset}); save the file as UTF-8`;
}
