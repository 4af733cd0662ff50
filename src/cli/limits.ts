// The --max-* flags, turned into the checker's Limits.
import type { Limits } from "../check/limits.js";
import { UsageError, type ParsedArgs } from "./args.js";

const flagToLimit: readonly [string, keyof Limits][] = [
  ["max-rank", "maxRank"],
  ["max-elements", "maxElements"],
  ["max-param-bytes", "maxParamBytes"],
  ["max-layers", "maxLayers"],
  ["max-dim", "maxDim"],
];

export function limitsFrom(args: ParsedArgs): Partial<Limits> {
  const limits: { -readonly [K in keyof Limits]?: number } = {};
  for (const [flag, key] of flagToLimit) {
    const value = args.flags.get(flag);
    if (typeof value !== "string") continue;
    const n = Number(value);
    if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} needs a positive integer, got '${value}'`);
    limits[key] = n;
  }
  return limits;
}
