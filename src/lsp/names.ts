// The tensor names of each model, read from the AST: where each is defined and every place it is
// used. Go to definition, references, rename, completion and hover all look names up here.
import { findOp } from "../ops/index.js";
import type { Arg, Call, ModelDecl, Pipeline, Program } from "../syntax/ast.js";
import type { Span } from "../source/span.js";

export interface NameSite {
  readonly name: string;
  readonly span: Span;
  /** true where the statement binds the name, false where it reads it */
  readonly defines: boolean;
  readonly model: ModelNames;
}

export interface ModelNames {
  readonly decl: ModelDecl;
  /** the first definition of each name, in source order */
  readonly definitions: ReadonlyMap<string, NameSite>;
  /** every definition and use, in source order */
  readonly sites: readonly NameSite[];
}

export function indexNames(program: Program | undefined): ModelNames[] {
  return (program?.models ?? []).map(indexModel);
}

function indexModel(decl: ModelDecl): ModelNames {
  const sites: NameSite[] = [];
  const definitions = new Map<string, NameSite>();
  const model: ModelNames = { decl, definitions, sites };
  const add = (name: string, span: Span, defines: boolean): void => {
    const site = { name, span, defines, model };
    sites.push(site);
    if (defines && !definitions.has(name)) definitions.set(name, site);
  };
  for (const stmt of decl.stmts) {
    if (stmt.kind === "input") add(stmt.name.name, stmt.name.span, true);
    else if (stmt.kind === "train") stmt.entries.forEach((entry) => entry.kind === "loss" && tensorArgs(entry.call.args, add));
    else if (stmt.pipeline === undefined) add(stmt.name.name, stmt.name.span, false);
    else {
      // the pipeline reads names before its statement binds one
      pipelineUses(stmt.pipeline, add);
      add(stmt.name.name, stmt.name.span, true);
    }
  }
  sites.sort((a, b) => a.span.start - b.span.start);
  return model;
}

type Add = (name: string, span: Span, defines: boolean) => void;

function pipelineUses(pipeline: Pipeline, add: Add): void {
  const source = pipeline.source;
  if (source.kind === "ref") add(source.name.name, source.name.span, false);
  else callUses(source, add);
  pipeline.calls.forEach((call) => callUses(call, add));
}

// Only add and concat take tensors as arguments; elsewhere a bare name is a value like `same`.
function callUses(call: Call, add: Add): void {
  if (findOp(call.callee.name)?.inputs === "tensors") tensorArgs(call.args.filter((arg) => arg.name === undefined), add);
}

function tensorArgs(args: readonly Arg[], add: Add): void {
  for (const arg of args) if (arg.value.kind === "name") add(arg.value.name, arg.value.span, false);
}

/** The name at `offset` (inside it or just after it), if any. */
export function nameAt(models: readonly ModelNames[], offset: number): NameSite | undefined {
  for (const model of models) {
    if (offset < model.decl.span.start || offset > model.decl.span.end) continue;
    return model.sites.find((site) => site.span.start <= offset && offset <= site.span.end);
  }
  return undefined;
}

/** The definition a site refers to, and every site of that name in its model. */
export function sitesOf(site: NameSite): { definition?: NameSite; all: NameSite[] } {
  const definition = site.model.definitions.get(site.name);
  return { definition, all: site.model.sites.filter((s) => s.name === site.name) };
}

/** The model whose braces contain `offset`. */
export function modelAt(models: readonly ModelNames[], offset: number): ModelNames | undefined {
  return models.find((model) => model.decl.span.start <= offset && offset <= model.decl.span.end);
}
