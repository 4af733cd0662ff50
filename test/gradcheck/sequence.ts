// Gradient-check cases of the sequence ops (conv1d, the pools and global pools along a
// sequence) and of upsample, over the attribute space issue 11 lists: strides 1-3, valid, same,
// causal and explicit paddings, dilations 1-2, groups 1/2/4, odd lengths.
export interface Case {
  readonly op: string;
  readonly name: string;
  readonly source: string;
  readonly loss: string;
}

function unary(op: string, name: string, shape: string, pipeline: string): Case {
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

export const sequenceCases: Case[] = [];
const add = (c: Case): void => void sequenceCases.push(c);

for (const stride of [1, 2, 3])
  for (const padding of ["valid", "same", "causal", "1"])
    for (const dilation of [1, 2])
      add(unary("conv1d", `k=3 s=${stride} p=${padding} d=${dilation} on [11, 3]`, "[11, 3]",
        `conv1d(3, kernel: 3, stride: ${stride}, padding: ${padding}, dilation: ${dilation})`));
for (const groups of [2, 4])
  for (const padding of groups === 2 ? ["valid", "causal"] : ["same", "causal"])
    add(unary("conv1d", `groups=${groups} p=${padding} on [9, 4]`, "[9, 4]", `conv1d(8, kernel: 3, padding: ${padding}, groups: ${groups}, stride: 2)`));
add(unary("conv1d", "groups=2, 2 filters per group, dilation 3, causal", "[10, 6]", "conv1d(4, kernel: 2, groups: 2, dilation: 3, padding: causal)"));
add(unary("conv1d", "no bias, kernel 1", "[7, 5]", "conv1d(2, kernel: 1, bias: false)"));
add(unary("conv1d", "kernel 5 on an even length, same", "[8, 2]", "conv1d(3, kernel: 5, padding: same)"));
add(unary("conv1d", "kernel 17 (looped taps), causal", "[19, 1]", "conv1d(2, kernel: 17, padding: causal)"));
for (const act of ["relu", "tanh"])
  add(unary("conv1d", `fused ${act}`, "[9, 2]", `conv1d(3, kernel: 3, padding: causal) |> ${act}`));
add(unary("conv1d", "two in a row into dense", "[12, 2]", "conv1d(4, kernel: 3) |> conv1d(2, kernel: 2, stride: 2) |> flatten |> dense(3)"));

// the pools along a sequence reuse the 2-D windows (cases above in gradcheck.test.ts sweep those):
// every stride and padding once per op, the size rotating through 2 and 3
const poolSweep = [[2, 1, "valid"], [3, 1, "same"], [2, 2, "1"], [3, 2, "valid"], [3, 3, "same"], [2, 3, "1"]] as const;
for (const op of ["maxpool", "avgpool"])
  for (const [size, stride, padding] of poolSweep)
    add(unary(op, `sequence size=${size} s=${stride} p=${padding} on [11, 2]`, "[11, 2]", `${op}(${size}, stride: ${stride}, padding: ${padding})`));
add(unary("global_avgpool", "sequence", "[7, 3]", "global_avgpool"));
add(unary("global_maxpool", "sequence", "[7, 3]", "global_maxpool"));
add(unary("flatten", "sequence into dense", "[5, 3]", "flatten |> dense(4)"));
add(unary("dropout", "sequence", "[6, 3]", "dropout(0.5)"));
add(unary("relu", "sequence", "[6, 3]", "relu"));

for (const interpolation of ["nearest", "bilinear"])
  for (const size of ["3", "[2, 3]", "[1, 2]"])
    add(unary("upsample", `${interpolation} size=${size} on [3, 4, 2]`, "[3, 4, 2]", `upsample(size: ${size}, interpolation: ${interpolation})`));
add(unary("upsample", "bilinear on a single cell", "[1, 1, 2]", "upsample(size: 3, interpolation: bilinear)"));
add(unary("upsample", "nearest 5x5 (looped copies) after a conv", "[3, 3, 1]", "conv2d(2, kernel: 2) |> upsample(size: 5)"));
