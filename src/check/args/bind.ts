// Generic argument binding, driven by a signature table: positional order is the table's key
// order, every argument may also be named, and each value is parsed by its kind.
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import {
  argumentWhere,
  duplicateArgument,
  missingArgument,
  positionalAfterNamed,
  tooManyArguments,
  unknownArgument,
} from "../../diagnostics/names.js";
import type { Arg, Call, NameValue } from "../../syntax/ast.js";
import type { Span } from "../../source/span.js";
import type { Limits } from "../limits.js";
import { suggest } from "../suggest.js";
import type { TensorId } from "../types.js";
import type { ArgContext, Kind } from "./kind.js";

export interface ArgSpec<T> {
  readonly kind: Kind<T>;
  /** absent for a required argument */
  readonly fallback?: { readonly value: T };
}

export type Signature<A> = { readonly [K in keyof A]: ArgSpec<A[K]> };

export function required<T>(kind: Kind<T>): ArgSpec<T> {
  return { kind };
}

export function optional<T, D = T>(kind: Kind<T>, value: D): ArgSpec<T | D> {
  return { kind, fallback: { value } };
}

/** What binding needs from the surrounding checker. */
export interface BindContext {
  readonly limits: Limits;
  readonly report: (diagnostic: Diagnostic) => void;
  readonly resolveTensor: (name: NameValue) => TensorId | undefined;
}

/** A call's name, span and the arguments to bind (for add/concat: the named ones only). */
export interface CallSite {
  readonly callee: string;
  readonly span: Span;
  readonly args: readonly Arg[];
}

export function callSite(call: Call): CallSite {
  return { callee: call.callee.name, span: call.span, args: call.args };
}

export function signatureNames<A>(signature: Signature<A>): string[] {
  return Object.keys(signature);
}

/** One argument of a signature as an editor shows it. */
export interface ArgInfo {
  readonly name: string;
  readonly expected: string;
  readonly choices: readonly string[];
  /** the default; absent for a required argument */
  readonly fallback?: { readonly value: unknown };
}

export function describeSignature<A>(signature: Signature<A>): ArgInfo[] {
  return Object.entries<ArgSpec<unknown>>(signature as Record<string, ArgSpec<unknown>>).map(([name, spec]) => {
    const info = { name, expected: spec.kind.expected, choices: spec.kind.choices ?? [] };
    return spec.fallback === undefined ? info : { ...info, fallback: spec.fallback };
  });
}

/** Matches written arguments to signature names; reports misplaced, unknown and repeated ones. */
export interface Matched {
  readonly given: Map<string, Arg>;
  readonly ok: boolean;
  /** names the user evidently meant to give (misspelt, or misplaced positionals): not "missing" */
  readonly attempted: ReadonlySet<string> | "all";
}

export function matchArgs(names: readonly string[], site: CallSite, report: (d: Diagnostic) => void): Matched {
  const given = new Map<string, Arg>();
  const attempted = new Set<string>();
  let misplaced = false;
  let positional = 0;
  let seenNamed = false;
  for (const arg of site.args) {
    const name = arg.name
      ? matchNamed(arg, names, site, given, report)
      : matchPositional(arg, names, site, positional++, seenNamed, report);
    if (name !== undefined) given.set(name, arg);
    else if (arg.name) attempted.add(suggest(arg.name.name, names) ?? "");
    else misplaced ||= seenNamed;
    seenNamed ||= arg.name !== undefined;
  }
  const ok = given.size === site.args.length;
  return { given, ok, attempted: misplaced ? "all" : attempted };
}

function matchNamed(
  arg: Arg,
  names: readonly string[],
  site: CallSite,
  given: Map<string, Arg>,
  report: (d: Diagnostic) => void,
): string | undefined {
  const ident = arg.name!;
  if (!names.includes(ident.name)) {
    report(unknownArgument(ident.span, ident.name, site.callee, suggest(ident.name, names), names));
    return undefined;
  }
  const first = given.get(ident.name);
  if (first !== undefined) {
    report(duplicateArgument(ident.span, ident.name, site.callee, first.span));
    return undefined;
  }
  return ident.name;
}

function matchPositional(
  arg: Arg,
  names: readonly string[],
  site: CallSite,
  index: number,
  seenNamed: boolean,
  report: (d: Diagnostic) => void,
): string | undefined {
  if (seenNamed) {
    report(positionalAfterNamed(arg.span, site.callee));
    return undefined;
  }
  // one report for the first extra argument is enough
  if (index === names.length) report(tooManyArguments(arg.span, site.callee, names));
  return names[index];
}

/** The typed arguments with defaults filled in, or undefined after reporting every problem. */
export function bindArgs<A>(signature: Signature<A>, site: CallSite, ctx: BindContext): A | undefined {
  const names = signatureNames(signature);
  const { given, ok, attempted } = matchArgs(names, site, ctx.report);
  let valid = ok;
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const spec = (signature as Record<string, ArgSpec<unknown>>)[name]!;
    const arg = given.get(name);
    const reported = attempted === "all" || attempted.has(name);
    if (arg === undefined && spec.fallback === undefined && !reported)
      ctx.report(missingArgument(site.span, name, site.callee, spec.kind.expected));
    const value = arg === undefined ? spec.fallback?.value : spec.kind.parse(arg.value, argContext(ctx, site.callee, name));
    if (value === undefined) valid = false;
    values[name] = value;
  }
  return valid ? (values as A) : undefined;
}

function argContext(ctx: BindContext, callee: string, name: string): ArgContext {
  return { ...ctx, where: argumentWhere(name, callee) };
}

/** The span of each written argument by signature name, for diagnostics about one argument. */
export function argSpans(names: readonly string[], site: CallSite): Map<string, Span> {
  const spans = new Map<string, Span>();
  site.args.forEach((arg, index) => {
    const name = arg.name?.name ?? names[index];
    if (name !== undefined && !spans.has(name)) spans.set(name, arg.span);
  });
  return spans;
}
