// The readable build of the sequence ops and upsample (plain tap loops, the padding tested in
// the loop) under the same float64 gradient check as the tuned build in gradcheck.test.ts,
// which takes only each op's first case there.
import { describe, expect, it } from "vitest";
import { gradcheckSource } from "./helpers/gradcheck.js";
import { sequenceCases } from "./gradcheck/sequence.js";

const wanted = [
  "conv1d: k=3 s=2 p=causal d=2 on [11, 3]",
  "conv1d: k=3 s=3 p=same d=1 on [11, 3]",
  "conv1d: groups=4 p=causal on [9, 4]",
  "conv1d: fused tanh",
  "maxpool: sequence size=2 s=2 p=1 on [11, 2]",
  "avgpool: sequence size=3 s=3 p=same on [11, 2]",
  "upsample: bilinear size=[2, 3] on [3, 4, 2]",
  "upsample: nearest size=[2, 3] on [3, 4, 2]",
];

describe("gradient check of the readable build of the sequence ops and upsample", () => {
  const cases = wanted.map((name) => {
    const found = sequenceCases.find((c) => `${c.op}: ${c.name}` === name);
    if (!found) throw new Error(`no case ${name}`);
    return found;
  });
  it.each(cases.map((c) => [`${c.op}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const result = await gradcheckSource(c.source, c.loss, { readable: true });
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.kinks).toBeLessThanOrEqual(Math.ceil(result.checked / 100));
  });
});
