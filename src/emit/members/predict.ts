// Inference entry points and the input checks every public method shares.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import { copyOut, num } from "../code.js";
import { b } from "../../kernel/build.js";
import { loadArgs, sampleKernel, sampleParams } from "../sample.js";
import { SAMPLE_OFFSET } from "../../kernel/passes/sample.js";
import { refreshFolds } from "./fold.js";
import type { ModelContext } from "../context.js";

type Method = OptionalKind<MethodDeclarationStructure>;

export function predictMethods(ctx: ModelContext): Method[] {
  const g = ctx.graph;
  const input = ctx.regions.value(g.input);
  const y = ctx.regions.value(g.output).offset;
  const name = (m: string): string => JSON.stringify(`${ctx.className}.${m}`);
  const load = sampleKernel(ctx, [
    b.const("base", b.mul(b.ref("s"), ctx.inputSize)),
    b.for("i", ctx.inputSize, (i) => [b.put(input, i, b.load({ arg: "xs" }, b.add(b.ref("base"), i)))]),
  ], ["s"]);
  // A typed array's sample is copied by one set() (a memcpy or one conversion loop inside V8):
  // element by element from JS it took ~1.5 us of W1's ~25 us per inferred sample on the wasm
  // target, set() 0.13 us (bench/NOTES.md). Same values as the loop: set() converts each element
  // as the assignment does. Not when the arena's stores round to f32 (a Float64Array arena in an
  // f32 build), which the loop does.
  const at = load.so ? `${num(input.offset)} + ${SAMPLE_OFFSET}` : num(input.offset);
  const copy = ctx.schedule.roundStores
    ? ""
    : `if (xs instanceof Float32Array || xs instanceof Float64Array) {
        this.a.set(xs.subarray(s * ${num(ctx.inputSize)}, (s + 1) * ${num(ctx.inputSize)}), ${at});
        return;
      }
      `;
  return [
    {
      name: "predict",
      docs: [`One sample (HWC, ${ctx.inputSize} values) to a new ${ctx.array} of ${ctx.outputSize} outputs.`],
      parameters: [{ name: "x", type: "ArrayLike<number>" }],
      returnType: ctx.array,
      statements: `this.checkInputs(${name("predict")}, x, 1);
        ${refreshFolds(ctx)}this.load(${["x", "0", ...loadArgs(ctx)].join(", ")});
        this.runInfer();
        return ${copyOut(ctx, "this.a", y, y + ctx.outputSize)};`,
    },
    {
      name: "predictBatch",
      docs: [`n samples, one after the other, to n * ${ctx.outputSize} outputs.`],
      parameters: [{ name: "xs", type: "ArrayLike<number>" }, { name: "n", type: "number" }],
      returnType: ctx.array,
      statements: `this.checkInputs(${name("predictBatch")}, xs, n);
        ${refreshFolds(ctx)}const out = new ${ctx.array}(n * ${num(ctx.outputSize)});
        for (let s = 0; s < n; s++) {
          this.load(${["xs", "s", ...loadArgs(ctx)].join(", ")});
          this.runInfer();
          out.set(this.a.subarray(${num(y)}, ${num(y + ctx.outputSize)}), s * ${num(ctx.outputSize)});
        }
        return out;`,
    },
    {
      name: "load",
      scope: Scope.Private,
      docs: ["Copies sample s into the input slot of the arena."],
      parameters: [{ name: "xs", type: "ArrayLike<number>" }, { name: "s", type: "number" }, ...sampleParams(load)],
      returnType: "void",
      statements: copy + load.text,
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
