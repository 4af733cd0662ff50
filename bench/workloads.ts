// The two workloads of issue 4. The .cnn file is what cnnc compiles; `arch` is the same network
// for the reference engines, and the agreement check fails loudly if the two ever drift apart.
import type { Arch, SgdSpec } from "./arch.js";

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** candidate sources relative to the repository root; the first that exists is used */
  readonly sources: readonly string[];
  readonly arch: Arch;
  /** used when cnnc's analysis is unavailable; otherwise the .cnn file's optimizer wins */
  readonly optimizer: SgdSpec;
}

const lenet: Arch = {
  inputShape: [28, 28, 1],
  layers: [
    { kind: "conv2d", filters: 6, kernel: 5, padding: "valid", relu: true },
    { kind: "maxpool", size: 2 },
    { kind: "conv2d", filters: 16, kernel: 5, padding: "valid", relu: true },
    { kind: "maxpool", size: 2 },
    { kind: "flatten" },
    { kind: "dense", units: 120, relu: true },
    { kind: "dense", units: 84, relu: true },
    { kind: "dense", units: 10, relu: false },
  ],
};

const cifar: Arch = {
  inputShape: [32, 32, 3],
  layers: [
    { kind: "conv2d", filters: 32, kernel: 3, padding: "same", relu: true },
    { kind: "conv2d", filters: 32, kernel: 3, padding: "same", relu: true },
    { kind: "maxpool", size: 2 },
    { kind: "conv2d", filters: 64, kernel: 3, padding: "same", relu: true },
    { kind: "conv2d", filters: 64, kernel: 3, padding: "same", relu: true },
    { kind: "maxpool", size: 2 },
    { kind: "flatten" },
    { kind: "dense", units: 128, relu: true },
    { kind: "dense", units: 10, relu: false },
  ],
};

export const workloads: readonly Workload[] = [
  { id: "w1", title: "W1 LeNet-5, 28x28x1", sources: ["bench/w1.cnn"], arch: lenet, optimizer: { lr: 0.01, momentum: 0 } },
  { id: "w2", title: "W2 CIFAR net, 32x32x3", sources: ["examples/cifar.cnn", "bench/w2.cnn"], arch: cifar, optimizer: { lr: 0.01, momentum: 0 } },
];
