// The deliberate mistakes a generated model may contain, one per program at most: each is one
// line-level edit of an otherwise valid model, aimed at one of the checker's diagnostics.

/** A model as lines: `model Name {`, the input line, bindings, output/train lines, `}`. */
export interface ModelLines {
  readonly lines: string[];
  readonly input: string;
  /** the model's last bound tensor */
  readonly last: string;
}

type Mistake = (m: ModelLines) => void;

/** Inserts statements right after the input line. */
function afterInput(m: ModelLines, ...statements: string[]): void {
  m.lines.splice(2, 0, ...statements);
}

/** Inserts statements just before the closing brace. */
function beforeEnd(m: ModelLines, ...statements: string[]): void {
  m.lines.splice(m.lines.length - 1, 0, ...statements);
}

export const modelMistakes: readonly Mistake[] = [
  // no input; a second input
  (m) => void m.lines.splice(1, 1),
  (m) => afterInput(m, "  input extra: [3]"),
  // two outputs; no bindings at all
  (m) => beforeEnd(m, `  output ${m.last}`, `  output ${m.input}`),
  (m) => void m.lines.splice(2, m.lines.length - 3),
  // a tensor used before its binding; a one-input op as a source; add of one tensor
  (m) => afterInput(m, `  early = ${m.last} |> relu`),
  (m) => afterInput(m, `  early = relu(${m.input})`),
  (m) => afterInput(m, `  early = add(${m.input})`),
  // a model named like a reserved word or a global
  (m) => void (m.lines[0] = m.lines[0]!.replace(/^model \w+/, "model Math")),
  (m) => void (m.lines[0] = m.lines[0]!.replace(/^model \w+/, "model delete")),
  // more layers than the limit; parameters over the limit; a layer name used twice
  (m) => beforeEnd(m, `  deep = ${m.input}${" |> relu".repeat(1001)}`),
  (m) => beforeEnd(m, `  heavy = ${m.input} |> flatten |> dense(16777216) |> dense(64)`),
  (m) => beforeEnd(m, `  twice = ${m.input} |> flatten |> dense(2) as named |> dense(2) as named`),
  // input shapes the checker refuses
  (m) => void (m.lines[1] = m.lines[1]!.replace(/\[.*\]/, "[4, 0, 1]")),
  (m) => void (m.lines[1] = m.lines[1]!.replace(/\[.*\]/, "[2, 2, 2, 2]")),
  // train sections that are wrong as a whole
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, `    loss mse(${m.last})`, "    optimizer sgd(lr: 0.1)", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer sgd(lr: 0.1)", "    optimizer adam()", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer adam()", "  }", "  train {", "    optimizer adam()", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss cross_entropy(${m.last})`, "    optimizer adam()", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer sgdm(lr: 0.1)", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer sgd(lr: 0.1, nesterov: true)", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last}) as l`, "    optimizer adam()", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer sgd(lr: 1e400)", "  }"),
  (m) => beforeEnd(m, "  train {", `    loss mse(${m.last})`, "    optimizer adam(schedule: linear)", "  }"),
];

/** Calls with a mistake in their arguments, whatever their input. */
export const argumentMistakes: readonly string[] = [
  "dense(3)",
  "conv2d(2, kernel: 3)",
  "conv2d(2, kernel: [1, 2], stride: [2, 1], padding: [1, 0])",
  "maxpool(2)",
  "avgpool(3, stride: 1, padding: same)",
  "flatten",
  "global_avgpool",
  "softmax",
  "dropout(1)",
  "dense(0)",
  "conv2d(3)",
  "maxpool(2, padding: 2)",
  "relu(1)",
  "rleu",
  "dense(3.5)",
  "conv2d(1, kernel: 1, dilation: 0)",
  "dense(units: 3, units: 4)",
  "conv2d(kernel: 3, 4)",
  "conv2d(2, kernel: 1, padding: vaild)",
  "dense(3, bias: ture)",
  "dense(3, kernel: 2)",
  "leaky_relu(alpha: -1)",
  "dense([2, 2])",
];
