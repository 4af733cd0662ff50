// An argument kind parses one written value into a typed value, or reports why it cannot.
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { NameValue, Value } from "../../syntax/ast.js";
import type { Limits } from "../limits.js";
import type { TensorId } from "../types.js";

export interface ArgContext {
  /** how messages name the argument: "`filters` of `conv2d`" */
  readonly where: string;
  readonly limits: Limits;
  readonly report: (diagnostic: Diagnostic) => void;
  /** looks a tensor name up in the model; reports unknown names and returns undefined */
  readonly resolveTensor: (name: NameValue) => TensorId | undefined;
}

export interface Kind<T> {
  /** what the argument accepts, for messages: "an integer", "`true` or `false`" */
  readonly expected: string;
  /** the names it accepts, for an editor's completion: `valid`, `same`; absent when it takes no names */
  readonly choices?: readonly string[];
  /** the typed value, or undefined after reporting a diagnostic */
  parse(value: Value, ctx: ArgContext): T | undefined;
}

/** The source form of a value, for help text that rewrites a call. */
export function valueText(value: Value): string {
  switch (value.kind) {
    case "number":
      return value.text;
    case "name":
      return value.name;
    case "shape":
      return `[${value.dims.map((d) => d.text).join(", ")}]`;
    case "call":
      return `${value.callee.name}(${value.args.map((a) => (a.name ? `${a.name.name}: ` : "") + valueText(a.value)).join(", ")})`;
  }
}
