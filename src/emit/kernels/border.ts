// The zero-bordered copy of a padded convolution's input: the convolution slides over it and
// never tests a border. Its border is written once (zeros, at allocation), never again.
import { b } from "../../kernel/build.js";
import type { Region, Stmt } from "../../kernel/ir.js";

/** The input's sizes, the border's top and left, and the bordered buffer's width. */
export interface Border {
  readonly h: number; readonly w: number; readonly c: number;
  readonly pt: number; readonly pl: number;
  readonly wp: number;
}

/** Copies the input into the interior of the zero-bordered buffer (forward), or adds the
 *  interior of the bordered gradient back into the input's gradient (backward). */
export function interior(g: Border, plain: Region, bordered: Region, direction: "in" | "out"): Stmt[] {
  return [
    b.for("y", g.h, (y) => [
      b.const("s", b.add(b.base(plain), b.mul(y, g.w * g.c))),
      b.const("d", b.add(b.base(bordered), (g.pt * g.wp + g.pl) * g.c, b.mul(y, g.wp * g.c))),
      b.for("i", g.w * g.c, (i) => {
        const [s, d] = [b.add(b.ref("s"), i), b.add(b.ref("d"), i)];
        return [direction === "in" ? b.store("a", d, b.load("a", s)) : b.store("a", s, b.load("a", d), "+=")];
      }),
    ]),
  ];
}
