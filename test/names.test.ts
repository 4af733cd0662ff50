// Names cannot hurt anyone: tensor, layer and model names that are JavaScript's special property
// names, reserved words, the generated code's own locals and members, globals or very long, and
// file paths that try to leave the header comment. Each is either rejected with a diagnostic at
// the name, or compiles to code that parses (and, for the names TypeScript gives a meaning,
// type-checks), behaves exactly like the same model with plain names, and never touches a
// canary global.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { reservedReason } from "../src/check/reserved.js";
import { compile } from "../src/index.js";
import {
  behaviour,
  modelSource,
  parameterNames,
  plainNames,
  tensorAndLayerKeys,
  tinySource,
  type Behaviour,
  type ModelNames,
} from "./fuzz/behaviour.js";
import { setCanary, type Canary } from "./fuzz/canary.js";
import { topLevelStatements } from "./fuzz/statements.js";
import { hostileNames, hostilePaths, objectNames, reservedWords, typeNames } from "./fuzz/names.js";
import { typeCheckModules } from "./fuzz/typecheck.js";
import { fuzzSeed } from "./fuzz/settings.js";
import { importTypeScript } from "./helpers/load.js";

// grammar keywords are not identifiers: using one as a name is a syntax error
const keywords = new Set(["model", "input", "output", "train", "loss", "optimizer", "as"]);

let plain: Behaviour;
let canary: Canary;

beforeAll(async () => {
  canary = setCanary();
  plain = behaviour((await loadChecked(modelSource(plainNames))).M);
});

afterAll(() => {
  expect(canary.report()).toEqual([]);
  canary.remove();
});

/** Compiles (unformatted, as tests that execute code do), parses with esbuild, imports. */
async function loadChecked(source: string, path = "names.cnn"): Promise<Record<string, any>> {
  const result = await compile(source, { path, format: false });
  if (!result.code) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return importTypeScript(result.code);
}

/** The same model with the parameter names the hostile spelling must give. */
function expectSameBehaviour(Model: any, names: ModelNames): void {
  expect(Model.parameters.map((p: { name: string }) => p.name)).toEqual(parameterNames(names));
  expect(behaviour(Model)).toEqual(plain);
  expect(canary.report()).toEqual([]);
}

describe("hostile tensor and layer names", () => {
  const plainOrHostile = fc.oneof(fc.constantFrom(...hostileNames), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/));
  const nameSets = fc.uniqueArray(plainOrHostile, { minLength: tensorAndLayerKeys.length, maxLength: tensorAndLayerKeys.length });

  it("are rejected only when they are keywords, and otherwise change nothing but the names", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(nameSets, async (chosen) => {
        const names: ModelNames = { ...plainNames, ...Object.fromEntries(tensorAndLayerKeys.map((key, i) => [key, chosen[i]!])) };
        const source = modelSource(names);
        const analysis = analyze(source);
        const usesKeyword = chosen.some((name) => keywords.has(name));
        expect(analysis.checked === undefined).toBe(usesKeyword);
        if (usesKeyword) return expectLocatedAtName(analysis.diagnostics, source, chosen);
        accepted++;
        expectSameBehaviour((await loadChecked(source)).M, names);
      }),
      { numRuns: 30, seed: fuzzSeed },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it("every hostile name in some naming site, nine at a time", async () => {
    const usable = hostileNames.filter((name) => !keywords.has(name));
    for (let start = 0; start < usable.length; start += tensorAndLayerKeys.length) {
      // rotated per group, so the lists' neighbours do not always share a site
      const group = tensorAndLayerKeys.map((_, i) => usable[(start + ((i + start) % tensorAndLayerKeys.length)) % usable.length]!);
      const names: ModelNames = { ...plainNames, ...Object.fromEntries(tensorAndLayerKeys.map((key, i) => [key, group[i]!])) };
      expectSameBehaviour((await loadChecked(modelSource(names))).M, names);
    }
  });
});

/** Some diagnostic points at one of the names, and every span lies inside the source. */
function expectLocatedAtName(
  diagnostics: readonly { span: { start: number; end: number } }[],
  source: string,
  names: readonly string[],
): void {
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) expect(d.span.end).toBeLessThanOrEqual(source.length);
  expect(diagnostics.some((d) => names.includes(source.slice(d.span.start, d.span.end)))).toBe(true);
}

describe("hostile model names", () => {
  // regressions: each made generated code that tsc rejects, or a module that fails to import
  const mustBeRejected = ["ArrayLike", "Record", "then"];
  const rejected = hostileNames.filter((name) => keywords.has(name) || reservedReason(name) !== undefined);
  const accepted = hostileNames.filter((name) => !rejected.includes(name) && !mustBeRejected.includes(name));

  it("reserved words, keywords and shadowed globals are rejected at the name", () => {
    expect(rejected.length).toBeGreaterThan(30);
    for (const name of rejected) {
      const source = tinySource(name);
      const analysis = analyze(source);
      expect(analysis.checked, name).toBeUndefined();
      expectLocatedAtName(analysis.diagnostics, source, [name]);
    }
  });

  it.each(mustBeRejected)("%s is rejected", (name) => {
    expect(analyze(tinySource(name)).checked === undefined, `model ${name} is accepted`).toBe(true);
  });

  it("every other name becomes a class that behaves as the plain one and names itself in errors", async () => {
    expect(accepted.length).toBeGreaterThan(100);
    const plainTiny = behaviour((await loadChecked(tinySource("M"))).M);
    // many models in one module, so the classes also meet each other's names; every failing name is reported
    const failures: string[] = [];
    for (let i = 0; i < accepted.length; i += 25) {
      const chunk = accepted.slice(i, i + 25);
      const exports = await loadChecked(chunk.map(tinySource).join("\n"));
      for (const model of chunk) {
        try {
          expectBehavesAsPlain(exports[model], model, plainTiny);
        } catch (e) {
          failures.push(`${model}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(canary.report()).toEqual([]);
  });

  function expectBehavesAsPlain(Model: any, model: string, plainTiny: Behaviour): void {
    // exported under its name (the class's own .name may differ: esbuild renames a class called `require`)
    expect(typeof Model).toBe("function");
    expect(behaviour(Model)).toEqual(plainTiny);
    expect(() => new Model().predict([1, 2])).toThrow(new RegExp(`^${model}\\.predict: `));
  }

  it("names TypeScript knows as types or keywords type-check under tsc --strict", async () => {
    const risky = accepted.filter((name) => typeNames.includes(name) || objectNames.includes(name) || reservedWords.includes(name));
    expect(risky.length).toBeGreaterThan(20);
    const result = await compile(risky.map(tinySource).join("\n"), { format: false });
    expect(typeCheckModules([result.code!])).toEqual([""]);
  });
});

describe("hostile source paths", () => {
  let plainStatements: string[];

  beforeAll(async () => {
    plainStatements = topLevelStatements((await compile(modelSource(plainNames), { path: "m.cnn", format: false })).code!);
    expect(plainStatements).toContain("class M");
  });

  /** The compiled plain model under `path`: the same statements as under a plain path, and the same behaviour. */
  async function checkPath(path: string): Promise<void> {
    const result = await compile(modelSource(plainNames), { path, format: false });
    expect(topLevelStatements(result.code!)).toEqual(plainStatements);
    expectSameBehaviour((await importTypeScript(result.code!)).M, plainNames);
  }

  it("never leave the header comment", async () => {
    // every failing path is reported, not just the first
    const failures: string[] = [];
    for (const path of hostilePaths) {
      try {
        await checkPath(path);
      } catch (e) {
        failures.push(`${JSON.stringify(path.slice(0, 60))}: ${e instanceof Error ? e.message.split("\n")[0]!.slice(0, 200) : String(e)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("random paths never leave it either", async () => {
    const paths = fc.string({ unit: "binary", maxLength: 40 }).map((s) => `${s}.cnn`);
    await fc.assert(fc.asyncProperty(paths, checkPath), { numRuns: 20, seed: fuzzSeed });
  });

  it("survive prettier: the formatted module has the same statements as under a plain path", async () => {
    const breaking = hostilePaths.filter((path) => /[\n\r\u2028\u2029]|\*\/|\/\*/.test(path));
    expect(breaking.length).toBeGreaterThan(5);
    const plain = topLevelStatements((await compile(tinySource("M"), { path: "m.cnn" })).code!).join("; ");
    const failures: string[] = [];
    for (const path of breaking) {
      const statements = topLevelStatements((await compile(tinySource("M"), { path })).code!).join("; ");
      if (statements !== plain) failures.push(`${JSON.stringify(path)}: ${statements}`);
    }
    expect(failures).toEqual([]);
  });
});
