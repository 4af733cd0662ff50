// f32 builds keep their values in a Float64Array arena and round every value they store to
// float32 with Math.fround. The arena then holds exactly the numbers a Float32Array would, bit
// for bit (the f64 arithmetic between stores is the same either way), but the kernels, which
// load far more often than they store, skip the float32-to-float64 conversion on every load:
// W1 trains about 20% faster. test/storage.test.ts checks the bit-for-bit claim against
// Float32Array builds (CompileOptions.float32Arena).
//
// The pass works on the emitted text, whose stores to the arena all have the form
// `a[index] op value;` or `this.a[index] op value;` (op one of = += -= *=).

/** Arena stores at statement starts: the index bracket follows `a` or `this.a`. */
const STORE = /(^|[;{}\s)])((?:this\.)?a)\[/g;
const OPERATOR = /^\s*(\+=|-=|\*=|=(?!=))\s*/;

/** Wraps every store to the arena in `code` in Math.fround. */
export function roundStores(code: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    STORE.lastIndex = at;
    const m = STORE.exec(code);
    if (!m) return out + code.slice(at);
    const start = m.index + m[1]!.length;
    const open = start + m[2]!.length;
    const close = matching(code, open);
    const target = code.slice(start, close + 1);
    const op = OPERATOR.exec(code.slice(close + 1));
    if (!op) {
      // a load at a statement start (inside a condition, say): leave it
      out += code.slice(at, close + 1);
      at = close + 1;
      continue;
    }
    const valueStart = close + 1 + op[0].length;
    const valueEnd = expressionEnd(code, valueStart);
    const value = code.slice(valueStart, valueEnd);
    out += code.slice(at, start) + store(target, op[1]!, value);
    at = valueEnd;
  }
}

function store(target: string, op: string, value: string): string {
  if (op === "=" && exact(value)) return `${target} = ${value}`;
  const rounded = op === "=" ? value : `${target} ${op[0]} (${value})`;
  return `${target} = Math.fround(${rounded})`;
}

/** Values that are float32 already: zero, infinities, and plain copies of arena elements. */
function exact(value: string): boolean {
  const v = value.trim();
  if (/^-?(0|Infinity)$/.test(v)) return true;
  return /^a\[/.test(v) && matching(v, 1) === v.length - 1;
}

/** Index of the bracket closing the one at `open`. */
function matching(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === "[" || c === "(" || c === "{") depth++;
    else if (c === "]" || c === ")" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`internal: unbalanced brackets in emitted code at ${open}`);
}

/** End of the expression starting at `from`: the `;` (or the closing bracket of the enclosing
 *  block) at nesting depth 0. */
function expressionEnd(code: string, from: number): number {
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === "[" || c === "(" || c === "{") depth++;
    else if (c === "]" || c === ")" || c === "}") {
      if (depth === 0) return i;
      depth--;
    } else if ((c === ";" || c === ",") && depth === 0) return i;
  }
  return code.length;
}
