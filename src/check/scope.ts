// The tensor names of one model: defined once, used only after their binding.
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { duplicateName, unknownTensor, usedBeforeBound } from "../diagnostics/names.js";
import type { Ident } from "../syntax/ast.js";
import type { Span } from "../source/span.js";
import { findOp } from "../ops/index.js";
import { suggest } from "./suggest.js";
import type { TensorId } from "./types.js";

interface Entry {
  readonly id: TensorId;
  readonly span: Span;
}

/** Unknown names per model that get a "did you mean": each search scans the model's names. */
export const maxTensorSuggestions = 100;

export class Scope {
  private readonly bound = new Map<string, Entry>();
  private suggestionsLeft = maxTensorSuggestions;

  /** `declared`: every name the model defines anywhere, so a too-early use can point at it */
  constructor(
    private readonly declared: ReadonlyMap<string, Span>,
    private readonly report: (diagnostic: Diagnostic) => void,
  ) {}

  /** Binds `name`; a second definition is reported and the first one is kept. */
  define(name: Ident, id: TensorId): void {
    const first = this.bound.get(name.name);
    if (first !== undefined) this.report(duplicateName(name.span, name.name, first.span));
    else this.bound.set(name.name, { id, span: name.span });
  }

  has(name: string): boolean {
    return this.bound.has(name);
  }

  /** The tensor bound to `name`, or undefined after reporting an unknown or too-early name. */
  resolve(name: string, span: Span): TensorId | undefined {
    const entry = this.bound.get(name);
    if (entry !== undefined) return entry.id;
    const later = this.declared.get(name);
    if (later !== undefined) this.report(usedBeforeBound(span, name, later));
    else this.report(unknownTensor(span, name, this.suggestFor(name), findOp(name) !== undefined));
    return undefined;
  }

  // bounded, so a program with many unknown names stays linear in its size
  private suggestFor(name: string): string | undefined {
    if (this.suggestionsLeft === 0) return undefined;
    this.suggestionsLeft--;
    return suggest(name, this.bound.keys());
  }
}
