// conv2d, HWC, kernel [kh, kw, in, filters].
// - A padded conv first copies its input into a zero-bordered buffer, so the convolution is
//   always "valid" and its inner loops test no boundary.
// - Register blocking: a tile of 2 adjacent output pixels x 4 filters is accumulated in locals
//   (s0..s3, t0..t3) while the window is walked once; the window is a list of contiguous runs
//   (a kernel row of kw * in values when dilation is 1), unrolled when small.
import type { ForwardNode } from "../../ir/graph.js";
import { affine, num, plus, range, sum } from "../code.js";
import { deriveBlock, formula } from "./activation.js";
import type { Kernel, KernelEnv } from "./types.js";

/** Filters accumulated in registers at once. */
const BLOCK = 8;
/** Filters per block when two pixels are computed together (2 x 4 accumulators). */
const PAIR_BLOCK = 4;
/** Runs up to this long are unrolled; windows up to this many runs are unrolled. */
const UNROLL_RUN = 8;
const UNROLL_RUNS = 49;

interface Geometry {
  readonly h: number; readonly w: number; readonly c: number;
  readonly oh: number; readonly ow: number; readonly f: number;
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly dh: number; readonly dw: number;
  readonly pt: number; readonly pl: number;
  /** width of the (possibly padded) buffer the window slides over */
  readonly wp: number;
  readonly bias: boolean;
}

/** A contiguous stretch of the window: input x + t, kernel k + t * filters, t < len. */
interface Run {
  readonly x: number;
  readonly k: number;
  readonly len: number;
}

function geometry(node: ForwardNode, env: KernelEnv): Geometry {
  if (node.layer.op !== "conv2d") throw new Error("internal: conv2d kernel on " + node.layer.op);
  const a = node.layer.attrs;
  const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [oh, ow, f] = env.shape(node.output) as [number, number, number];
  const p = a.padding;
  return {
    h, w, c, oh, ow, f,
    kh: a.kernel[0], kw: a.kernel[1], sh: a.stride[0], sw: a.stride[1], dh: a.dilation[0], dw: a.dilation[1],
    pt: p.top, pl: p.left,
    wp: env.padded(node) ? w + p.left + p.right : w,
    bias: a.bias,
  };
}

/** The window as contiguous runs, offsets relative to the pixel's base. */
function runs(g: Geometry): Run[] {
  const out: Run[] = [];
  for (let ky = 0; ky < g.kh; ky++) {
    if (g.dw === 1) {
      out.push({ x: ky * g.dh * g.wp * g.c, k: ky * g.kw * g.c * g.f, len: g.kw * g.c });
      continue;
    }
    for (let kx = 0; kx < g.kw; kx++)
      out.push({ x: (ky * g.dh * g.wp + kx * g.dw) * g.c, k: (ky * g.kw + kx) * g.c * g.f, len: g.c });
  }
  return out;
}

/** Walks the window calling `body(x, k)` with expressions for the input and kernel-row offsets. */
function walk(g: Geometry, body: (x: string, k: string) => string): string {
  const list = runs(g);
  const stride = g.f;
  const run = (r: Run | null): string => {
    // r === null: a looped window, where `rx` and `rk` hold the run's offsets.
    const rx: string | number = r ? r.x : "rx";
    const rk: string | number = r ? r.k : "rk";
    const len = r ? r.len : list[0]!.len;
    if (len <= UNROLL_RUN) {
      return Array.from({ length: len }, (_, t) =>
        `{ ${body(sum("xb", r ? r.x + t : `${rx} + ${t}`), sum("kb", r ? r.k + t * stride : `${rk} + ${t * stride}`))} }`,
      ).join("\n");
    }
    return `for (let t = 0; t < ${num(len)}; t++) { ${body(sum("xb", rx, "t"), sum("kb", rk, `t * ${num(stride)}`))} }`;
  };
  if (list.length <= UNROLL_RUNS) return list.map(run).join("\n");
  // A large window: loop over its rows (and columns when dilated).
  if (g.dw === 1)
    return `for (let ky = 0; ky < ${num(g.kh)}; ky++) { const rx = ky * ${num(g.dh * g.wp * g.c)}; const rk = ky * ${num(g.kw * g.c * g.f)}; ${run(null)} }`;
  return `for (let ky = 0; ky < ${num(g.kh)}; ky++) for (let kx = 0; kx < ${num(g.kw)}; kx++) {
    const rx = ky * ${num(g.dh * g.wp * g.c)} + kx * ${num(g.dw * g.c)}; const rk = (ky * ${num(g.kw)} + kx) * ${num(g.c * g.f)}; ${run(null)} }`;
}

/** Full blocks of `block` filters in a loop over j0, then the remainder with a literal j0. */
function blocks(f: number, body: (j0: string | number, size: number) => string, block = BLOCK): string {
  const full = Math.floor(f / block);
  const rest = f % block;
  const parts: string[] = [];
  if (full === 1) parts.push(`{ ${body(0, block)} }`);
  else if (full > 1) parts.push(`for (let j0 = 0; j0 < ${num(full * block)}; j0 += ${block}) { ${body("j0", block)} }`);
  if (rest > 0) parts.push(`{ ${body(full * block, rest)} }`);
  return parts.join("\n");
}


/** Accumulator prefixes of the kernel elements of a weight-gradient block. */
const GRAD_ACC = ["g", "h", "m", "n", "r", "z"];

/** Accumulators a block may keep in registers (x64 has 16 float registers; loads need some). */
const MAX_ACCUMULATORS = 12;

/** The weight-gradient block (kernel elements x filters) with the fewest loads per pixel over
 *  the whole run-by-filters grid, remainders included; ties go to fewer blocks. */
function gradientBlock(len: number, f: number): { elements: number; filters: number } {
  let best = { elements: 1, filters: 1, loads: Infinity, blocks: Infinity };
  for (let e = 1; e <= Math.min(len, GRAD_ACC.length); e++)
    for (let k = 1; k <= Math.min(f, BLOCK); k++) {
      if (e * k > MAX_ACCUMULATORS) continue;
      const es = [...Array(Math.floor(len / e)).fill(e), ...(len % e ? [len % e] : [])];
      const ks = [...Array(Math.floor(f / k)).fill(k), ...(f % k ? [f % k] : [])];
      const loads = es.reduce((t, x) => t + ks.reduce((u, y) => u + x + y, 0), 0);
      const blocks = es.length * ks.length;
      if (loads < best.loads || (loads === best.loads && blocks < best.blocks)) best = { elements: e, filters: k, loads, blocks };
    }
  return { elements: best.elements, filters: best.filters };
}

/** Accumulator prefixes of the pixels of a tile. */
const ACC = ["s", "t", "r", "q"];

/** Output pixels per forward tile. Measured on W1 (bench/NOTES.md): 4 filters x 2 pixels is as
 *  fast as 6 x 2, 3 x 4 or 4 x 3, and clearly faster than 8 x 1 or 2 x 4. */
const TILE_PIXELS = 2;

/** The loop over output pixels, `n` horizontally adjacent ones at a time (p, p + 1, ...), then the
 *  remaining ones of the row as one narrower tile. */
function pixelTiles(g: Geometry, source: number, n: number, tile: (pixels: number) => string): string {
  const head = (ox: string): string => `const p = ${sum(affine(0, g.ow, "oy"), ox)};
      const xb = ${sum(source, affine(0, g.sh * g.wp * g.c, "oy"), affine(0, g.sw * g.c, ox))};`;
  const full = g.ow - (g.ow % n);
  const rest = g.ow % n > 0 ? `{ const ox = ${num(full)}; ${head("ox")} ${tile(g.ow % n)} }` : "";
  const loop = full === n
    ? `{ const ox = 0; ${head("ox")} ${tile(n)} }`
    : `for (let ox = 0; ox < ${num(full)}; ox += ${n}) { ${head("ox")} ${tile(n)} }`;
  return `for (let oy = 0; oy < ${num(g.oh)}; oy++) {
    ${loop}
    ${rest}
  }`;
}

/** Copies the input into the interior of the zero-bordered buffer (forward), or adds the
 *  interior of the bordered gradient back into the input's gradient (backward). */
function interior(g: Geometry, plain: number, bordered: number, direction: "in" | "out"): string {
  const from = (y: string): string => `${num(plain)} + ${y} * ${num(g.w * g.c)}`;
  const to = (y: string): string => `${num(bordered + (g.pt * g.wp + g.pl) * g.c)} + ${y} * ${num(g.wp * g.c)}`;
  const copy = direction === "in" ? "a[d + i] = a[s + i];" : "a[s + i] += a[d + i];";
  return `for (let y = 0; y < ${num(g.h)}; y++) { const s = ${from("y")}; const d = ${to("y")};
    for (let i = 0; i < ${num(g.w * g.c)}; i++) ${copy} }`;
}

export const conv2d: Kernel = {
  forward(node, env) {
    const g = geometry(node, env);
    const y = env.off(node.output);
    const k = env.param(node, 0);
    const bias = g.bias ? env.param(node, 1) : null;
    const pad = env.padded(node);
    const source = pad ? pad.input : env.off(node.inputs[0]!);
    // The fused activation is applied as each sum is stored.
    const act = node.fused?.activation;
    const out = (v: string): string => (act ? formula(act, v, env.precision) : v);
    const init = (i: number, j0: string | number): string => (bias === null ? "0" : `a[${sum(bias + i, j0)}]`);
    // A tile: `pixels` horizontally adjacent outputs times `size` filters, all accumulated in
    // locals while the window is walked once; each input load feeds `size` multiply-adds and
    // each kernel load feeds `pixels`.
    const step = g.sw * g.c;
    const tile = (pixels: number): string =>
      blocks(g.f, (j0, size) => {
        const acc = range(size);
        const px = range(pixels);
        const name = (q: number, i: number): string => `${ACC[q]}${i}`;
        return `const kb = ${sum(k, j0)};
        ${acc.map((i) => px.map((q) => `let ${name(q, i)} = ${q === 0 ? init(i, j0) : name(0, i)};`).join(" ")).join(" ")}
        ${walk(g, (x, kk) => `${px.map((q) => `const v${q} = a[${plus(x, q * step)}];`).join(" ")}
          ${acc.map((i) => `const w${i} = a[${plus(kk, i)}];`).join(" ")}
          ${acc.map((i) => px.map((q) => `${name(q, i)} += v${q} * w${i};`).join(" ")).join(" ")}`)}
        const o = ${sum(y, `p * ${num(g.f)}`, j0)};
        ${acc.map((i) => px.map((q) => `a[o + ${num(q * g.f + i)}] = ${out(name(q, i))};`).join(" ")).join(" ")}`;
      }, PAIR_BLOCK);
    const loops = pixelTiles(g, source, Math.min(TILE_PIXELS, g.ow), tile);
    return [pad ? interior(g, env.off(node.inputs[0]!), pad.input, "in") : "", loops].join("\n");
  },

  backward(node, grad, env) {
    const g = geometry(node, env);
    const dy = env.off(grad.dy);
    const pad = env.padded(node);
    const source = pad ? pad.input : env.off(node.inputs[0]!);
    const dx = grad.dxs[0] ?? null;
    return [
      deriveBlock(node.fused?.activation, env.off(node.output), dy, env.size(node.output)),
      g.bias ? biasGrad(g, dy, env.paramGrad(node, 1)) : "",
      dx === null ? "" : inputGrad(g, dy, source, pad ? pad.grad! : env.off(dx), env.param(node, 0)),
      pad && dx !== null ? interior(g, env.off(dx), pad.grad!, "out") : "",
      weightGrad(g, dy, source, env.paramGrad(node, 0)),
    ].join("\n");
  },
};

/** db[f] = sum over pixels of dy[pixel, f]: up to 8 filters' sums in locals over all pixels,
 *  then one add each (a read-modify-write per pixel made each add wait for the last store). */
function biasGrad(g: Geometry, dy: number, gb: number): string {
  return blocks(g.f, (j0, size) => {
    const acc = range(size);
    return `${acc.map((i) => `let b${i} = 0;`).join(" ")}
      for (let p = 0; p < ${num(g.oh * g.ow)}; p++) { const d = ${sum(dy, `p * ${num(g.f)}`, j0)}; ${acc.map((i) => `b${i} += a[${plus("d", i)}];`).join(" ")} }
      ${acc.map((i) => `a[${sum(gb + i, j0)}] += b${i};`).join(" ")}`;
  });
}

/** dx[window of p] += W . dy[p]: 8 filters' gradients of two adjacent pixels in locals, each
 *  kernel load shared by both, one add per input element touched. 16 gradients and 8 weights
 *  are more than x64's float registers, but V8's spills to the stack cost less than the extra
 *  read-modify-writes of dx that blocks of 4 filters took (bench/NOTES.md). */
function inputGrad(g: Geometry, dy: number, source: number, dxBuffer: number, k: number): string {
  const step = g.sw * g.c;
  const body = (pair: boolean) =>
    blocks(g.f, (j0, size) => {
      const acc = range(size);
      const grads = `${acc.map((i) => `const d${i} = a[gb + ${i}];`).join(" ")} ${pair ? acc.map((i) => `const e${i} = a[gb + ${g.f + i}];`).join(" ") : ""}`;
      return `const gb = ${sum(dy, `p * ${num(g.f)}`, j0)}; ${grads}
        const kb = ${sum(k, j0)};
        ${walk(g, (x, kk) => {
          const at = x.replace(/^xb/, "dxb");
          const loads = acc.map((i) => `const w${i} = a[${plus(kk, i)}];`).join(" ");
          const first = `a[${at}] += ${acc.map((i) => `w${i} * d${i}`).join(" + ")};`;
          const second = pair ? `a[${plus(at, step)}] += ${acc.map((i) => `w${i} * e${i}`).join(" + ")};` : "";
          return `${loads} ${first} ${second}`;
        })}`;
    }, BLOCK);
  const dxb = `const dxb = xb + ${num(dxBuffer - source)};`;
  return pixelTiles(g, source, Math.min(2, g.ow), (n) => `${dxb} ${body(n === 2)}`);
}

/** dW[tap, c, f] = sum over pixels of x[pixel + tap, c] * dy[pixel, f]. A block of `e`
 *  neighbouring kernel elements (t, t + 1, ... of a contiguous run) times `f` filters accumulates
 *  over all pixels in registers, each x load feeding f multiply-adds and each dy load e; then
 *  one add per gradient element. The block shape is the one with the fewest loads per pixel. */
function weightGrad(g: Geometry, dy: number, source: number, gk: number): string {
  const len = g.dw === 1 ? g.kw * g.c : g.c;
  const shape = gradientBlock(len, g.f);
  const accumulate = (elements: number): string =>
    blocks(g.f, (j0, size) => {
      const acc = range(size);
      const els = range(elements);
      const name = (e: number, i: number): string => `${GRAD_ACC[e]}${i}`;
      return `${els.flatMap((e) => acc.map((i) => `let ${name(e, i)} = 0;`)).join(" ")}
        for (let oy = 0; oy < ${num(g.oh)}; oy++) {
          let xi = ${sum("xo", affine(0, g.sh * g.wp * g.c, "oy"))};
          let di = ${sum(dy, affine(0, g.ow * g.f, "oy"), j0)};
          for (let ox = 0; ox < ${num(g.ow)}; ox++) {
            ${els.map((e) => `const v${e} = a[${e === 0 ? "xi" : `xi + ${e}`}];`).join(" ")}
            ${acc.map((i) => `{ const d = a[di + ${i}]; ${els.map((e) => `${name(e, i)} += v${e} * d;`).join(" ")} }`).join(" ")}
            xi += ${num(g.sw * g.c)}; di += ${num(g.f)};
          }
        }
        const go = ${sum("gq", j0)};
        ${els.map((e) => acc.map((i) => `a[go + ${num(e * g.f + i)}] += ${name(e, i)};`).join(" ")).join("\n")}`;
    }, shape.filters);
  const run = (rx: string, rk: string): string => {
    const at = (t: string): string => `const xo = ${sum(source, rx, t)}; const gq = ${sum(gk, rk, `${t} * ${num(g.f)}`)};`;
    const e = shape.elements;
    const full = len - (len % e);
    const loop = full === 0 ? "" : full === e ? `{ const t = 0; ${at("t")} ${accumulate(e)} }` : `for (let t = 0; t < ${num(full)}; t += ${e}) { ${at("t")} ${accumulate(e)} }`;
    const last = len % e > 0 ? `{ const t = ${num(full)}; ${at("t")} ${accumulate(len % e)} }` : "";
    return `${loop}\n${last}`;
  };
  if (g.dw === 1)
    return `for (let ky = 0; ky < ${num(g.kh)}; ky++) { ${run(affine(0, g.dh * g.wp * g.c, "ky"), affine(0, g.kw * g.c * g.f, "ky"))} }`;
  return `for (let ky = 0; ky < ${num(g.kh)}; ky++) for (let kx = 0; kx < ${num(g.kw)}; kx++) {
    ${run(sum(affine(0, g.dh * g.wp * g.c, "ky"), affine(0, g.dw * g.c, "kx")), sum(affine(0, g.kw * g.c * g.f, "ky"), affine(0, g.c * g.f, "kx")))} }`;
}
