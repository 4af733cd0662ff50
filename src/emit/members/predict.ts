// Inference entry points and the input checks every public method shares.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import { copyOut, num } from "../code.js";
import type { ModelContext } from "../context.js";

type Method = OptionalKind<MethodDeclarationStructure>;

export function predictMethods(ctx: ModelContext): Method[] {
  const g = ctx.graph;
  const x = ctx.env.off(g.input);
  const y = ctx.env.off(g.output);
  const name = (m: string): string => JSON.stringify(`${ctx.className}.${m}`);
  return [
    {
      name: "predict",
      docs: [`One sample (HWC, ${ctx.inputSize} values) to a new ${ctx.array} of ${ctx.outputSize} outputs.`],
      parameters: [{ name: "x", type: "ArrayLike<number>" }],
      returnType: ctx.array,
      statements: `this.checkInputs(${name("predict")}, x, 1);
        this.load(x, 0);
        this.runInfer();
        return ${copyOut(ctx, "this.a", y, y + ctx.outputSize)};`,
    },
    {
      name: "predictBatch",
      docs: [`n samples, one after the other, to n * ${ctx.outputSize} outputs.`],
      parameters: [{ name: "xs", type: "ArrayLike<number>" }, { name: "n", type: "number" }],
      returnType: ctx.array,
      statements: `this.checkInputs(${name("predictBatch")}, xs, n);
        const out = new ${ctx.array}(n * ${num(ctx.outputSize)});
        for (let s = 0; s < n; s++) {
          this.load(xs, s);
          this.runInfer();
          out.set(this.a.subarray(${num(y)}, ${num(y + ctx.outputSize)}), s * ${num(ctx.outputSize)});
        }
        return out;`,
    },
    {
      name: "load",
      scope: Scope.Private,
      docs: ["Copies sample s into the input slot of the arena."],
      parameters: [{ name: "xs", type: "ArrayLike<number>" }, { name: "s", type: "number" }],
      returnType: "void",
      statements: `const a = this.a; const base = s * ${num(ctx.inputSize)};
        for (let i = 0; i < ${num(ctx.inputSize)}; i++) a[${num(x)} + i] = xs[base + i]!;`,
    },
    {
      name: "checkInputs",
      scope: Scope.Private,
      parameters: [{ name: "method", type: "string" }, { name: "xs", type: "ArrayLike<number>" }, { name: "n", type: "number" }],
      returnType: "void",
      statements: `if (!Number.isInteger(n) || n < 1) throw new RangeError(\`\${method}: n must be a positive integer, got \${n}\`);
        if (xs == null || typeof xs.length !== "number") throw new TypeError(\`\${method}: expected an array of numbers\`);
        if (xs.length !== n * ${num(ctx.inputSize)})
          throw new RangeError(\`\${method}: expected \${n} x ${num(ctx.inputSize)} = \${n * ${num(ctx.inputSize)}} input values (shape [${g.values[g.input]!.shape.join(", ")}] per sample), got \${xs.length}\`);`,
    },
  ];
}
