// The CST visitor: concrete syntax tree (grammar/cst.ts) to the typed AST (ast.ts).
// After a syntax error the CST may lack children or hold tokens inserted by recovery; every
// builder then returns undefined for what it cannot build, and the program is partial.
import type { IToken } from "chevrotain";
import type {
  ArgCstNode,
  ArgListCstNode,
  BindingStmtCstNode,
  CallCstNode,
  FileCstNode,
  InputStmtCstNode,
  ModelCstNode,
  NameOrCallCstNode,
  OutputStmtCstNode,
  PipelineCstNode,
  ShapeCstNode,
  SignedNumberCstNode,
  StmtCstNode,
  TrainEntryCstNode,
  TrainStmtCstNode,
  ValueCstNode,
} from "../../grammar/cst.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { nonIntegerDimension } from "../diagnostics/syntax.js";
import type {
  Arg,
  BindingStmt,
  Call,
  Ident,
  InputStmt,
  ModelDecl,
  NumberValue,
  OutputStmt,
  Pipeline,
  Program,
  ShapeLit,
  Source,
  Stmt,
  TrainEntry,
  TrainStmt,
  Value,
} from "./ast.js";
import { span, type Span } from "../source/span.js";
import { first, tokenAt, tokenSpan } from "./tokens.js";

export interface Built {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

export function toAst(cst: FileCstNode, text: string): Built {
  const builder = new AstBuilder();
  const models = defined((cst.children.model ?? []).map((m) => builder.model(m)));
  return { program: { kind: "program", models, span: span(0, text.length) }, diagnostics: builder.diagnostics };
}

function defined<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

// From the start of the first span to the end of the last one; missing pieces are skipped.
function spanOf(...parts: readonly (Span | IToken | undefined)[]): Span | undefined {
  const spans = defined(parts).map((p) => ("start" in p ? p : tokenSpan(p)));
  const firstSpan = spans[0];
  const lastSpan = spans[spans.length - 1];
  return firstSpan && lastSpan ? span(firstSpan.start, lastSpan.end) : undefined;
}

function ident(token: IToken | undefined): Ident | undefined {
  return token ? { name: token.image, span: tokenSpan(token) } : undefined;
}

class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  model(node: ModelCstNode): ModelDecl | undefined {
    const c = node.children;
    const name = ident(first(c.Identifier));
    const whole = spanOf(first(c.Model), first(c.RCurly) ?? first(c.LCurly) ?? first(c.Identifier));
    if (!name || !whole) return undefined;
    const stmts = defined((c.stmt ?? []).map((s) => this.stmt(s)));
    const lastStmt = stmts[stmts.length - 1];
    const modelSpan = first(c.RCurly) || !lastStmt ? whole : spanOf(whole, lastStmt.span)!;
    return { kind: "model", name, stmts, span: modelSpan };
  }

  stmt(node: StmtCstNode): Stmt | undefined {
    const c = node.children;
    if (c.inputStmt?.[0]) return this.inputStmt(c.inputStmt[0]);
    if (c.outputStmt?.[0]) return this.outputStmt(c.outputStmt[0]);
    if (c.trainStmt?.[0]) return this.trainStmt(c.trainStmt[0]);
    if (c.bindingStmt?.[0]) return this.bindingStmt(c.bindingStmt[0]);
    return undefined;
  }

  inputStmt(node: InputStmtCstNode): InputStmt | undefined {
    const c = node.children;
    const name = ident(first(c.Identifier));
    const shape = this.shape(c.shape?.[0]);
    const whole = spanOf(first(c.Input), shape?.span);
    if (!name || !shape || !whole) return undefined;
    return { kind: "input", name, shape, span: whole };
  }

  bindingStmt(node: BindingStmtCstNode): BindingStmt | undefined {
    const c = node.children;
    const name = ident(first(c.Identifier));
    const pipeline = this.pipeline(c.pipeline?.[0]);
    if (!name || !pipeline) return undefined;
    const shape = this.shape(c.shape?.[0]);
    const whole = span(name.span.start, pipeline.span.end);
    return shape ? { kind: "binding", name, shape, pipeline, span: whole } : { kind: "binding", name, pipeline, span: whole };
  }

  outputStmt(node: OutputStmtCstNode): OutputStmt | undefined {
    const c = node.children;
    const name = ident(first(c.Identifier));
    const keyword = first(c.Output);
    if (!name || !keyword) return undefined;
    const shape = this.shape(c.shape?.[0]);
    const pipeline = this.pipeline(c.pipeline?.[0]);
    // `output x: [10]` without `= pipeline` is a syntax error already reported; keep the name
    const whole = spanOf(keyword, name.span, shape?.span, pipeline?.span)!;
    return { kind: "output", name, span: whole, ...(shape && { shape }), ...(pipeline && { pipeline }) };
  }

  trainStmt(node: TrainStmtCstNode): TrainStmt | undefined {
    const c = node.children;
    const entries = defined((c.trainEntry ?? []).map((e) => this.trainEntry(e)));
    const lastEntry = entries[entries.length - 1];
    const whole = spanOf(first(c.Train), first(c.RCurly) ?? lastEntry?.span ?? first(c.LCurly));
    return whole ? { kind: "train", entries, span: whole } : undefined;
  }

  trainEntry(node: TrainEntryCstNode): TrainEntry | undefined {
    const c = node.children;
    const keyword = first(c.Loss) ?? first(c.Optimizer);
    const call = this.call(c.call?.[0]);
    if (!keyword || !call) return undefined;
    // by token type: a misspelt keyword (`los`) is parsed as the keyword it was taken for
    const kind = first(c.Loss) ? "loss" : "optimizer";
    return { kind, call, span: span(keyword.startOffset, call.span.end) };
  }

  pipeline(node: PipelineCstNode | undefined): Pipeline | undefined {
    if (!node) return undefined;
    const [sourceNode, ...callNodes] = node.children.call ?? [];
    const source = this.source(sourceNode);
    if (!source) return undefined;
    const calls = defined(callNodes.map((n) => this.call(n)));
    const lastCall = calls[calls.length - 1];
    return { source, calls, span: spanOf(source.span, lastCall?.span)! };
  }

  // A bare name starts a pipeline at a tensor; anything with parentheses or `as` is a call.
  source(node: CallCstNode | undefined): Source | undefined {
    if (!node) return undefined;
    const c = node.children;
    if (!c.argList && !c.As) {
      const name = ident(first(c.Identifier));
      return name ? { kind: "ref", name, span: name.span } : undefined;
    }
    return this.call(node);
  }

  call(node: CallCstNode | undefined): Call | undefined {
    if (!node) return undefined;
    const c = node.children;
    const callee = ident(first(c.Identifier));
    if (!callee) return undefined;
    const list = this.argList(c.argList?.[0]);
    // the second identifier is the `as` name, present only after an `as` keyword
    const as = first(c.As) ? ident(tokenAt(c.Identifier, 1)) : undefined;
    const whole = spanOf(callee.span, list?.span, as?.span)!;
    const call: Call = { kind: "call", callee, args: list?.args ?? [], hasParens: list !== undefined, span: whole };
    return as ? { ...call, as } : call;
  }

  argList(node: ArgListCstNode | undefined): { args: Arg[]; span: Span } | undefined {
    if (!node) return undefined;
    const c = node.children;
    const args = defined((c.arg ?? []).map((a) => this.arg(a)));
    const lastArg = args[args.length - 1];
    const whole = spanOf(first(c.LParen), first(c.RParen) ?? lastArg?.span);
    return whole ? { args, span: whole } : undefined;
  }

  arg(node: ArgCstNode): Arg | undefined {
    const c = node.children;
    const value = this.value(c.value?.[0]);
    if (!value) return undefined;
    const name = first(c.Colon) ? ident(first(c.Identifier)) : undefined;
    const whole = spanOf(name?.span, value.span)!;
    return name ? { name, value, span: whole } : { value, span: whole };
  }

  value(node: ValueCstNode | undefined): Value | undefined {
    if (!node) return undefined;
    const c = node.children;
    if (c.signedNumber?.[0]) return this.signedNumber(c.signedNumber[0]);
    if (c.nameOrCall?.[0]) return this.nameOrCall(c.nameOrCall[0]);
    if (c.shape?.[0]) return this.shape(c.shape[0]);
    return undefined;
  }

  nameOrCall(node: NameOrCallCstNode): Value | undefined {
    const c = node.children;
    const callee = ident(first(c.Identifier));
    if (!callee) return undefined;
    const list = this.argList(c.argList?.[0]);
    if (!list) return { kind: "name", name: callee.name, span: callee.span };
    return { kind: "call", callee, args: list.args, hasParens: true, span: spanOf(callee.span, list.span)! };
  }

  signedNumber(node: SignedNumberCstNode): NumberValue | undefined {
    const c = node.children;
    const literal = first(c.NumberLiteral);
    if (!literal) return undefined;
    const minus = first(c.Minus);
    const magnitude = Number(literal.image);
    return {
      kind: "number",
      value: minus ? -magnitude : magnitude,
      text: minus ? `-${literal.image}` : literal.image,
      isInt: /^[0-9]+$/.test(literal.image),
      span: spanOf(minus, literal)!,
    };
  }

  shape(node: ShapeCstNode | undefined): ShapeLit | undefined {
    if (!node) return undefined;
    const c = node.children;
    const dims = defined((c.signedNumber ?? []).map((n) => this.signedNumber(n)));
    for (const dim of dims) if (!dim.isInt) this.diagnostics.push(nonIntegerDimension(dim.span, dim.text));
    const lastDim = dims[dims.length - 1];
    const whole = spanOf(first(c.LBracket), first(c.RBracket) ?? lastDim?.span);
    return whole ? { kind: "shape", dims, span: whole } : undefined;
  }
}
