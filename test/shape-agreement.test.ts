// Shape errors agree (issue 5, section 3): mutants of valid networks, each with one layer that
// cannot take its input. cnnc must reject every one at compile time with a diagnostic on that
// layer's line; tfjs-layers must refuse it too, except where tfjs follows Keras and LANGUAGE.md
// is stricter on purpose (see `explanations` in diff/mutate.ts). Both sides are counted.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";
import { generateNetwork } from "./diff/generate.js";
import { mutate, mutationKinds, type Mutant, type MutationKind } from "./diff/mutate.js";
import { printNetwork } from "./diff/print.js";
import { Rng } from "./diff/random.js";
import { caseSeeds, fuzzCount, replayHint } from "./diff/settings.js";
import { tfjsVerdict } from "./diff/tfjs-verdict.js";

/** Per mutation kind: how often each side rejected, and why tfjs accepted where it did. */
interface Tally {
  mutants: number;
  cnncRejected: number;
  tfjsThrew: number;
  tfjsEmpty: number;
  tfjsAcceptedExplained: number;
  /** the codes of cnnc's errors on the mutated line */
  codes: Set<string>;
}

const tallies = new Map<MutationKind, Tally>(
  mutationKinds.map((k) => [
    k,
    { mutants: 0, cnncRejected: 0, tfjsThrew: 0, tfjsEmpty: 0, tfjsAcceptedExplained: 0, codes: new Set<string>() },
  ]),
);

/** Mutants over the fuzz seeds, each kind in turn; a seed whose network lacks a suitable tensor moves on. */
function mutants(): { seed: number; mutant: Mutant }[] {
  const out: { seed: number; mutant: Mutant }[] = [];
  caseSeeds(Math.max(fuzzCount, mutationKinds.length)).forEach((first, i) => {
    // case i mutates kind i (cyclically); a kind that needs a tensor the network lacks (a
    // sequence, say) tries the next networks of a far seed range before giving way to the next kind
    const kind = mutationKinds[i % mutationKinds.length]!;
    for (let j = 0; j < 20; j++) {
      const seed = first + 1_000_003 * j;
      const mutant = mutate(generateNetwork(seed), kind, new Rng(seed ^ 0xbad));
      if (mutant) return void out.push({ seed, mutant });
    }
    const net = generateNetwork(first);
    const rng = new Rng(first ^ 0xbad);
    for (let k = 1; k < mutationKinds.length; k++) {
      const mutant = mutate(net, mutationKinds[(i + k) % mutationKinds.length]!, rng);
      if (mutant) return void out.push({ seed: first, mutant });
    }
  });
  return out;
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

afterAll(() => {
  const header = ["kind", "mutants", "cnnc:rejected", "tfjs:threw", "tfjs:dim<=0", "tfjs:accepted(explained)", "cnnc codes"];
  const rows = [...tallies].map(([kind, t]) =>
    [kind, t.mutants, t.cnncRejected, t.tfjsThrew, t.tfjsEmpty, t.tfjsAcceptedExplained, [...t.codes].sort().join(",")].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 || i === header.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log([line(header), ...rows.map(line)].join("\n"));
});

describe("shape errors: cnnc and tfjs both refuse", () => {
  const cases = mutants();

  it("cover every mutation kind", () => {
    if (fuzzCount < 50) return;
    expect(new Set(cases.map((c) => c.mutant.kind))).toEqual(new Set(mutationKinds));
  });

  for (const { seed, mutant } of cases) {
    it(`seed ${seed}: ${mutant.kind}`, () => {
      const printed = printNetwork(mutant.net);
      const context = `seed ${seed}, ${mutant.kind} (${replayHint(seed, "test/shape-agreement.test.ts")})\n--- source ---\n${printed.source}`;
      const tally = tallies.get(mutant.kind)!;
      tally.mutants++;

      const analysis = analyze(printed.source, `mutant-${seed}.cnn`);
      const errors = analysis.diagnostics.filter((d) => d.severity === "error");
      const badLine = printed.layerLines[mutant.badLayer];
      const located = errors.filter((d) => analysis.file.position(d.span.start).line === badLine);
      expect(analysis.checked, `cnnc accepted a shape error: ${context}`).toBeUndefined();
      expect(
        located.length,
        `no error on line ${badLine}; got ${errors.map((d) => `${analysis.file.position(d.span.start).line}: ${d.code} ${d.message}`).join("; ")}\n${context}`,
      ).toBeGreaterThan(0);
      // LANGUAGE.md: a shape error also names the tensor that produced the bad input
      expect(
        located.some((d) => d.notes.some((n) => n.span !== undefined)),
        `no note locating the bad input\n${context}`,
      ).toBe(true);
      tally.cnncRejected++;
      for (const d of located) tally.codes.add(d.code);

      const verdict = tfjsVerdict(mutant.net);
      if (mutant.tfjs.kind === "accepts") {
        expect(verdict.kind, `tfjs was expected to accept (${mutant.tfjs.why}): ${context}`).toBe("accepts");
        tally.tfjsAcceptedExplained++;
      } else {
        expect(verdict.kind, `tfjs accepted what cnnc rejects: ${context}`).not.toBe("accepts");
        if (verdict.kind === "throws") tally.tfjsThrew++;
        else tally.tfjsEmpty++;
      }
    });
  }
});
