// Gradient-check cases of the second wave's convolutions (grouped conv2d, depthwise_conv2d,
// separable_conv2d, conv2d_transpose) over their attribute space: strides 1-3, valid, same
// and explicit padding, dilations 1-2, groups 2 and 4, depth multipliers 1-2, odd sizes and
// non-square kernels. test/gradcheck.test.ts runs them with the core's cases.

export interface ConvCase {
  readonly op: string;
  readonly name: string;
  readonly source: string;
  readonly loss: string;
}

function unary(op: string, name: string, shape: string, pipeline: string): ConvCase {
  return {
    op,
    name,
    loss: "mse",
    source: `model M {
      input x: ${shape}
      y = x |> ${pipeline}
      train { loss mse(y) optimizer sgd(lr: 0.1) }
    }`,
  };
}

const paddings = ["valid", "same", "1"] as const;

/** Every stride with every padding for the first value of a sweep; for the others, each stride
 *  once with a padding that rotates (a covering set: compiling is what a case costs). */
function sweep(values: readonly number[]): [number, number, (typeof paddings)[number], number][] {
  const out: [number, number, (typeof paddings)[number], number][] = [];
  values.forEach((v, n) => {
    for (const stride of [1, 2, 3])
      paddings.forEach((padding, i) => {
        if (n === 0 || (stride + i + n) % 3 === 0) out.push([v, stride, padding, i]);
      });
  });
  return out;
}

export function convCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  // grouped conv2d: every stride and padding, dilation alternating, groups 2 (cg = 2) and 4 (cg = 1)
  for (const [groups, stride, padding, i] of sweep([2, 4])) {
    const dilation = 1 + ((stride + i) % 2);
    cases.push(unary("conv2d", `groups=${groups} k=3 s=${stride} p=${padding} d=${dilation} on [7, 6, 4]`, "[7, 6, 4]",
      `conv2d(8, kernel: 3, stride: ${stride}, padding: ${padding}, dilation: ${dilation}, groups: ${groups})`));
  }
  cases.push(unary("conv2d", "groups=2 non-square [2, 3], no bias, odd size", "[5, 7, 6]", "conv2d(4, kernel: [2, 3], groups: 2, bias: false)"));
  cases.push(unary("conv2d", "groups=2 fused relu, same", "[6, 6, 4]", "conv2d(6, kernel: 3, padding: same, groups: 2) |> relu"));

  // depthwise_conv2d: depth multipliers 1 and 2 over every stride and padding
  for (const [m, stride, padding, i] of sweep([2, 1])) {
    const dilation = 1 + ((stride + i + m) % 2);
    const kernel = i === 1 ? "[2, 3]" : "3";
    cases.push(unary("depthwise_conv2d", `m=${m} k=${kernel} s=${stride} p=${padding} d=${dilation} on [7, 6, 3]`, "[7, 6, 3]",
      `depthwise_conv2d(kernel: ${kernel}, stride: ${stride}, padding: ${padding}, dilation: ${dilation}, depth_multiplier: ${m})`));
  }
  cases.push(unary("depthwise_conv2d", "no bias, fused tanh, one channel", "[5, 5, 1]", "depthwise_conv2d(kernel: 2, depth_multiplier: 2, bias: false) |> tanh"));

  // separable_conv2d
  for (const m of [1, 2])
    for (const [stride, padding, dilation] of [[1, "valid", 1], [2, "same", 1], [1, "same", 2], [3, "1", 1]] as const)
      cases.push(unary("separable_conv2d", `m=${m} k=3 s=${stride} p=${padding} d=${dilation} on [7, 6, 3]`, "[7, 6, 3]",
        `separable_conv2d(4, kernel: 3, stride: ${stride}, padding: ${padding}, dilation: ${dilation}, depth_multiplier: ${m})`));
  cases.push(unary("separable_conv2d", "non-square [3, 2], no bias, fused sigmoid", "[6, 5, 2]", "separable_conv2d(3, kernel: [3, 2], bias: false) |> sigmoid"));

  // conv2d_transpose: every stride, both paddings, square and non-square kernels, k < s
  for (const stride of [1, 2, 3])
    for (const padding of ["valid", "same"])
      for (const kernel of ["3", "[2, 3]"])
        cases.push(unary("conv2d_transpose", `k=${kernel} s=${stride} p=${padding} on [3, 4, 2]`, "[3, 4, 2]",
          `conv2d_transpose(3, kernel: ${kernel}, stride: ${stride}, padding: ${padding})`));
  cases.push(unary("conv2d_transpose", "k=2 < s=3, no bias, fused relu", "[3, 3, 2]", "conv2d_transpose(2, kernel: 2, stride: 3, bias: false) |> relu"));
  cases.push(unary("conv2d_transpose", "stride [2, 1], same, k=4 (odd crop split)", "[3, 3, 3]", "conv2d_transpose(2, kernel: [4, 5], stride: [2, 1], padding: same)"));
  return cases;
}
