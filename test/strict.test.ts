// Every committed module compiles in a user's strict project (issue 12, item 3): strict plus
// noUncheckedIndexedAccess, noUnusedLocals, noUnusedParameters, exactOptionalPropertyTypes, and
// `lib: ["ES2022"]` alone, so no DOM and no @types/node to supply TextEncoder or TextDecoder.
// So do builds the examples do not cover: f64, --check-numerics, no train section, the other
// losses, optimizers and schedules, every op.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleNames, root } from "../scripts/generate.js";
import { compile, type CompileOptions } from "../src/index.js";
import { strictUserOptions, typeCheck } from "./helpers/tsc.js";

const lenet = readFileSync(join(root, "examples", "lenet.cnn"), "utf8");

const variants: [string, string, Partial<CompileOptions>][] = [
  ["lenet-f64", lenet, { precision: "f64" }],
  ["lenet-numerics", lenet, { checkNumerics: true }],
  ["no-train", "model A {\n  input x: [4]\n  output y = x |> dense(3) |> relu |> dense(2)\n}\n", {}],
  [
    "bce-dropout-cosine",
    "model B {\n  input x: [8, 8, 2]\n  h = x |> conv2d(3, kernel: 3) |> leaky_relu |> avgpool(2) |> global_maxpool\n  output y = h |> dropout(0.5) |> dense(2) |> sigmoid\n  train {\n    loss binary_cross_entropy(y)\n    optimizer adam(lr: 0.01, clip_norm: 1, schedule: cosine)\n  }\n}\n",
    {},
  ],
  [
    "mse-add-step",
    "model C {\n  input x: [6]\n  a = x |> dense(4) |> tanh\n  b = x |> dense(4)\n  output y = add(a, b) |> dense(1)\n  train {\n    loss mse(y)\n    optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01, schedule: step(every: 10, gamma: 0.5))\n  }\n}\n",
    {},
  ],
  [
    "concat-pools",
    "model D {\n  input x: [8, 8, 3]\n  a = x |> conv2d(4, kernel: 1) |> maxpool(2)\n  b = x |> conv2d(2, kernel: 3, padding: same, stride: 2)\n  output y = concat(a, b) |> global_avgpool |> dense(3) |> softmax\n}\n",
    {},
  ],
  // layer-major training (sample offsets, the growing arena), folded prediction, and a model
  // whose batch norms are folded away with nothing to train
  [
    "batchnorm",
    "model E {\n  input x: [8, 8, 2]\n  f = x |> conv2d(4, kernel: 3) |> batchnorm |> relu |> maxpool(2) |> dropout(0.25)\n  output y = f |> flatten |> dense(3, bias: false) |> batchnorm(center: false)\n  train {\n    loss softmax_cross_entropy(y)\n    optimizer adam(lr: 0.01)\n  }\n}\n",
    {},
  ],
  [
    "batchnorm-numerics",
    "model F {\n  input x: [6]\n  output y = x |> batchnorm |> dense(2) |> batchnorm(scale: false)\n  train {\n    loss mse(y)\n    optimizer sgd(lr: 0.1)\n  }\n}\n",
    { checkNumerics: true, inputGradient: true },
  ],
  // a batch-norm trainer on the wasm target: its memory grows (memory.grow, setIndexBase)
  ["batchnorm-wasm", "model H {\n  input x: [6, 6, 1]\n  f = x |> conv2d(2, kernel: 3) |> batchnorm |> relu |> maxpool(2)\n  output y = f |> flatten |> dense(2)\n  train {\n    loss mse(y)\n    optimizer adam(lr: 0.01)\n  }\n}\n", { target: "wasm" }],
  ["batchnorm-no-train", "model G {\n  input x: [4, 4, 1]\n  output y = x |> conv2d(2, kernel: 3) |> batchnorm |> flatten |> dense(2) |> batchnorm\n}\n", {}],
];

// the second wave's convolutions, padded and not, tuned and readable
const convs =
  "model E {\n  input x: [9, 9, 4]\n  a = x |> conv2d(4, kernel: 3, padding: same, groups: 2) |> relu\n  b = a |> depthwise_conv2d(kernel: 3, stride: 2, depth_multiplier: 2)\n  c = b |> separable_conv2d(4, kernel: 3, padding: 1) |> relu\n  d = c |> conv2d_transpose(2, kernel: 3, stride: 2, padding: same, bias: false)\n  output y = d |> global_avgpool |> dense(2)\n  train {\n    loss mse(y)\n    optimizer sgd(lr: 0.1)\n  }\n}\n";
variants.push(["second-wave-convs", convs, {}], ["second-wave-convs-readable", convs, { readable: true }]);

describe("generated modules in a strict project", () => {
  it("type-check under the strictest flags with lib ES2022 alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cnnc-strict-"));
    // every example, and LeNet on the wasm target (its WebAssembly declarations with ES2022 alone)
    const files = [...exampleNames().map((name) => join(root, "generated", `${name}.ts`)), join(root, "generated", "lenet.wasm.ts")];
    expect(files.length).toBeGreaterThan(3);
    for (const [name, source, options] of variants) {
      const result = await compile(source, { path: `${name}.cnn`, format: false, ...options });
      expect(result.diagnostics, name).toEqual([]);
      files.push(join(dir, `${name}.ts`));
      writeFileSync(files.at(-1)!, result.code!);
    }
    // the lib's own .d.ts files are TypeScript's business; the modules are checked in full
    expect(await typeCheck(files, { ...strictUserOptions, skipLibCheck: true })).toBe("");
  });
});
