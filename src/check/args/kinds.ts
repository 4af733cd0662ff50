// The argument kinds ops, losses and optimizers are built from.
import { foundValue, notFinite, outOfRange, rangeText, unknownValue, wrongKind } from "../../diagnostics/names.js";
import { dimensionTooLarge } from "../../diagnostics/shapes.js";
import { causalNotSequence } from "../../diagnostics/sequence.js";
import type { NameValue, NumberValue, Value } from "../../syntax/ast.js";
import { suggest } from "../suggest.js";
import type { TensorId } from "../types.js";
import type { ArgContext, Kind } from "./kind.js";
import { inRange, type Range } from "./range.js";

export type Pair = readonly [number, number];

/** Padding as written; resolved per axis once the input shape is known. */
export type PaddingArg = { readonly kind: "valid" } | { readonly kind: "same" } | { readonly kind: "explicit"; readonly pad: Pair };

function reportWrongKind(value: Value, ctx: ArgContext, expected: string): undefined {
  ctx.report(wrongKind(value.span, ctx.where, expected, foundValue(value)));
  return undefined;
}

/** An integer literal; sizes are capped by the dimension limit, counts by exact double range. */
function readInteger(value: Value, ctx: ArgContext, expected: string, range: Range, isSize: boolean): number | undefined {
  if (value.kind !== "number" || !value.isInt) return reportWrongKind(value, ctx, expected);
  if (isSize && !(value.value <= ctx.limits.maxDim)) {
    ctx.report(dimensionTooLarge(value.span, ctx.where, value.text, ctx.limits.maxDim));
    return undefined;
  }
  // beyond 2^53 a double no longer holds the integer that was written
  const exact = Number.isSafeInteger(value.value);
  if (!exact || !inRange(value.value, range)) {
    ctx.report(outOfRange(value.span, ctx.where, rangeText(exact ? range : { max: Number.MAX_SAFE_INTEGER }), value.text));
    return undefined;
  }
  return value.value;
}

/** One of a few names, with a "did you mean" for a misspelt one. */
function readChoice<T extends string>(value: NameValue, options: readonly T[], ctx: ArgContext, expected: string): T | undefined {
  const found = options.find((option) => option === value.name);
  if (found !== undefined) return found;
  ctx.report(unknownValue(value.span, ctx.where, value.name, expected, suggest(value.name, options)));
  return undefined;
}

/** A size such as filters, units or a kernel side: an integer from `min` up to the dimension limit. */
export function sizeKind(min: number): Kind<number> {
  const expected = "an integer";
  return { expected, parse: (value, ctx) => readInteger(value, ctx, expected, { min }, true) };
}

/** A count such as a number of steps: any exactly representable integer in `range`. */
export function countKind(range: Range): Kind<number> {
  const expected = "an integer";
  return { expected, parse: (value, ctx) => readInteger(value, ctx, expected, range, false) };
}

function readNumber(value: NumberValue, ctx: ArgContext, range: Range): number | undefined {
  if (!Number.isFinite(value.value)) {
    ctx.report(notFinite(value.span, value.text));
    return undefined;
  }
  if (!inRange(value.value, range)) {
    ctx.report(outOfRange(value.span, ctx.where, rangeText(range), value.text));
    return undefined;
  }
  return value.value;
}

/** A finite number in `range`, written as an integer or a decimal. */
export function numberKind(range: Range): Kind<number> {
  const expected = "a number";
  return {
    expected,
    parse: (value, ctx) => (value.kind === "number" ? readNumber(value, ctx, range) : reportWrongKind(value, ctx, expected)),
  };
}

export const boolKind: Kind<boolean> = {
  expected: "`true` or `false`",
  choices: ["true", "false"],
  parse(value, ctx) {
    if (value.kind !== "name") return reportWrongKind(value, ctx, this.expected);
    const choice = readChoice(value, ["true", "false"], ctx, this.expected);
    return choice === undefined ? undefined : choice === "true";
  },
};

function readPair(value: Value, ctx: ArgContext, expected: string, min: number): Pair | undefined {
  if (value.kind === "number") {
    const side = readInteger(value, ctx, expected, { min }, true);
    return side === undefined ? undefined : [side, side];
  }
  if (value.kind !== "shape" || value.dims.length !== 2) return reportWrongKind(value, ctx, expected);
  const [h, w] = value.dims.map((dim) => readInteger(dim, ctx, "an integer", { min }, true));
  return h === undefined || w === undefined ? undefined : [h, w];
}

/** A window side or step, the same for height and width (`3`) or per axis (`[3, 5]`). */
export function pairKind(min: number): Kind<Pair> {
  const expected = "an integer or an `[h, w]` pair";
  return { expected, parse: (value, ctx) => readPair(value, ctx, expected, min) };
}

const paddingNames = ["valid", "same"] as const;

export const paddingKind: Kind<PaddingArg> = {
  expected: "`valid`, `same`, an integer or an `[h, w]` pair",
  choices: paddingNames,
  parse(value, ctx) {
    if (value.kind === "name") {
      // a 1-D padding written on a 2-D op: say so, rather than "unknown value"
      if (value.name === "causal") {
        ctx.report(causalNotSequence(value.span, ctx.where));
        return undefined;
      }
      const choice = readChoice(value, paddingNames, ctx, this.expected);
      return choice === undefined ? undefined : { kind: choice };
    }
    const pad = readPair(value, ctx, this.expected, 0);
    return pad === undefined ? undefined : { kind: "explicit", pad };
  },
};

/** Padding along a sequence, as written: `causal` pads only before the first step. */
export type SequencePaddingArg = { readonly kind: "valid" } | { readonly kind: "same" } | { readonly kind: "causal" } | { readonly kind: "explicit"; readonly pad: number };

const sequencePaddingNames = ["valid", "same", "causal"] as const;

export const sequencePaddingKind: Kind<SequencePaddingArg> = {
  expected: "`valid`, `same`, `causal` or an integer",
  choices: sequencePaddingNames,
  parse(value, ctx) {
    if (value.kind === "name") {
      const choice = readChoice(value, sequencePaddingNames, ctx, this.expected);
      return choice === undefined ? undefined : { kind: choice };
    }
    const pad = readInteger(value, ctx, this.expected, { min: 0 }, true);
    return pad === undefined ? undefined : { kind: "explicit", pad };
  },
};

/** One of a fixed list of names (`nearest` or `bilinear`, an initialiser, ...), with a "did you
 *  mean" for a misspelt one. */
export function choiceKind<T extends string>(names: readonly T[]): Kind<T> {
  const quoted = names.map((name) => `\`${name}\``);
  const expected = quoted.length <= 2 ? quoted.join(" or ") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
  return {
    expected,
    choices: names,
    parse: (value, ctx) => (value.kind === "name" ? readChoice(value, names, ctx, expected) : reportWrongKind(value, ctx, expected)),
  };
}

export const tensorKind: Kind<TensorId> = {
  expected: "a tensor name",
  parse(value, ctx) {
    if (value.kind !== "name") return reportWrongKind(value, ctx, this.expected);
    return ctx.resolveTensor(value);
  },
};
