// upsample, HWC. `nearest`: output (oy, ox) copies input (floor(oy/sh), floor(ox/sw)), written as
// a loop over input pixels and their sh x sw copies so every index stays affine. `bilinear`:
// half-pixel centres, source coordinate max((o + 0.5)/s - 0.5, 0), its two neighbours clamped to
// the last row (column), weighted by the fraction; the backward pass scatters dY with the same
// four weights.
import type { BackwardNode, ForwardNode } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Stmt } from "../../kernel/ir.js";
import type { Kernel, KernelEnv } from "./types.js";

interface Geometry {
  readonly h: number; readonly w: number; readonly c: number;
  readonly sh: number; readonly sw: number;
  readonly oh: number; readonly ow: number;
  readonly bilinear: boolean;
}

function geometry(node: ForwardNode, env: KernelEnv): Geometry {
  if (node.layer.op !== "upsample") throw new Error("internal: upsample kernel on " + node.layer.op);
  const [h, w, c] = env.shape(node.inputs[0]!) as [number, number, number];
  const [sh, sw] = node.layer.attrs.size;
  return { h, w, c, sh, sw, oh: h * sh, ow: w * sw, bilinear: node.layer.attrs.interpolation === "bilinear" };
}

/** For each input pixel and each of its copies: `q` (input pixel) and `p` (output pixel) in scope. */
function copies(g: Geometry, body: () => Stmt[]): Stmt {
  return b.for("iy", g.h, (iy) => [
    b.for("ix", g.w, (ix) => [
      b.const("q", b.add(b.mul(iy, g.w), ix)),
      b.for("ry", g.sh, (ry) => [
        b.for("rx", g.sw, (rx) => [b.const("p", b.add(b.mul(b.add(b.mul(iy, g.sh), ry), g.ow), b.mul(ix, g.sw), rx)), ...body()]),
      ], { unroll: g.sh * g.sw <= 16 }),
    ]),
  ]);
}

/** The source row (or column) of output `o` along an axis of n cells scaled by s: the lower
 *  neighbour `<v>0`, the upper `<v>1` and the weight `l<v>` of the upper one. */
function source(v: string, o: Expr, s: number, n: number): Stmt[] {
  return [
    b.const(`s${v}`, b.math("max", b.sub(b.div(b.add(o, 0.5), s), 0.5), 0)),
    b.const(`${v}0`, b.math("min", b.math("floor", b.ref(`s${v}`)), n - 1)),
    b.const(`${v}1`, b.math("min", b.add(b.ref(`${v}0`), 1), n - 1)),
    b.const(`l${v}`, b.sub(b.ref(`s${v}`), b.ref(`${v}0`))),
  ];
}

/** Each output pixel with its four source cells' element offsets (`q00` .. `q11`) and weights. */
function bilinear(g: Geometry, body: (p: Expr) => Stmt[]): Stmt {
  const cell = (y: string, x: string): Expr => b.mul(b.add(b.mul(b.ref(y), g.w), b.ref(x)), g.c);
  return b.for("oy", g.oh, (oy) => [
    ...source("y", oy, g.sh, g.h),
    b.for("ox", g.ow, (ox) => [
      ...source("x", ox, g.sw, g.w),
      b.const("q00", cell("y0", "x0")),
      b.const("q01", cell("y0", "x1")),
      b.const("q10", cell("y1", "x0")),
      b.const("q11", cell("y1", "x1")),
      ...body(b.mul(b.add(b.mul(oy, g.ow), ox), g.c)),
    ]),
  ]);
}

function forward(node: ForwardNode, env: KernelEnv): Stmt[] {
  const g = geometry(node, env);
  const x = env.value(node.inputs[0]!);
  const y = env.value(node.output);
  if (!g.bilinear)
    return [
      b.note(`Y[oy, ox, c] = X[floor(oy / ${g.sh}), floor(ox / ${g.sw}), c]`),
      copies(g, () => [b.for("j", g.c, (j) => [b.put(y, b.add(b.mul(b.ref("p"), g.c), j), b.at(x, b.add(b.mul(b.ref("q"), g.c), j)))])]),
    ];
  const lerp = (lo: Expr, hi: Expr, t: Expr): Expr => b.add(lo, b.mul(b.sub(hi, lo), t));
  return [
    b.note("Y[oy, ox, c] = the four cells around the source point (half-pixel centres) weighted by its distance to each"),
    bilinear(g, (p) => [
      b.const("o", p),
      b.for("j", g.c, (j) => {
        const at = (q: string): Expr => b.at(x, b.add(b.ref(q), j));
        // along the row first (the upper and lower neighbours), then between the two rows
        return [
          b.const("top", lerp(at("q00"), at("q01"), b.ref("lx"))),
          b.const("bottom", lerp(at("q10"), at("q11"), b.ref("lx"))),
          b.put(y, b.add(b.ref("o"), j), lerp(b.ref("top"), b.ref("bottom"), b.ref("ly"))),
        ];
      }),
    ]),
  ];
}

function backward(node: ForwardNode, grad: BackwardNode, env: KernelEnv): Stmt[] {
  const dxv = grad.dxs[0];
  if (dxv === null || dxv === undefined) return [];
  const g = geometry(node, env);
  const dx = env.value(dxv);
  const dy = env.value(grad.dy);
  if (!g.bilinear)
    return [
      b.note(`dX[iy, ix, c] += sum over its ${g.sh}x${g.sw} copies of dY`),
      copies(g, () => [b.for("j", g.c, (j) => [b.put(dx, b.add(b.mul(b.ref("q"), g.c), j), b.at(dy, b.add(b.mul(b.ref("p"), g.c), j)), "+=")])]),
    ];
  return [
    b.note("dX[each of the four source cells, c] += its weight * dY[oy, ox, c]"),
    bilinear(g, (p) => [
      b.const("o", p),
      b.const("w00", b.mul(b.sub(1, b.ref("ly")), b.sub(1, b.ref("lx")))),
      b.const("w01", b.mul(b.sub(1, b.ref("ly")), b.ref("lx"))),
      b.const("w10", b.mul(b.ref("ly"), b.sub(1, b.ref("lx")))),
      b.const("w11", b.mul(b.ref("ly"), b.ref("lx"))),
      b.for("j", g.c, (j) => [
        b.const("gy", b.at(dy, b.add(b.ref("o"), j))),
        ...(["00", "01", "10", "11"] as const).map((corner) => b.put(dx, b.add(b.ref(`q${corner}`), j), b.mul(b.ref(`w${corner}`), b.ref("gy")), "+=")),
      ]),
    ]),
  ];
}

export const upsample: Kernel = { forward: (node, env) => forward(node, env), backward };
