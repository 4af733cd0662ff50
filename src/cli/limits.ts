// The --max-* flags: the checker's Limits, and the back end's limits on generated size and
// instance memory. One parser for all of them.
import type { Limits } from "../check/limits.js";
import type { CompileOptions } from "../options.js";
import { UsageError, type ParsedArgs } from "./args.js";

const flagToLimit: readonly [string, keyof Limits][] = [
  ["max-rank", "maxRank"],
  ["max-elements", "maxElements"],
  ["max-param-bytes", "maxParamBytes"],
  ["max-layers", "maxLayers"],
  ["max-dim", "maxDim"],
];

const flagToBackEndLimit: readonly [string, "maxSourceBytes" | "maxArenaBytes"][] = [
  ["max-source-bytes", "maxSourceBytes"],
  ["max-arena-bytes", "maxArenaBytes"],
];

/** The value of `--flag` as a positive integer, or undefined when the flag is absent. */
function positiveInteger(args: ParsedArgs, flag: string): number | undefined {
  const value = args.flags.get(flag);
  if (typeof value !== "string") return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${flag} needs a positive integer, got '${value}'`);
  return n;
}

function collect<K extends string>(args: ParsedArgs, table: readonly [string, K][]): { [P in K]?: number } {
  const out: { [P in K]?: number } = {};
  for (const [flag, key] of table) {
    const n = positiveInteger(args, flag);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

export function limitsFrom(args: ParsedArgs): Partial<Limits> {
  return collect(args, flagToLimit);
}

export function backEndLimitsFrom(args: ParsedArgs): Partial<Pick<CompileOptions, "maxSourceBytes" | "maxArenaBytes">> {
  return collect(args, flagToBackEndLimit);
}
