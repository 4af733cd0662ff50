// Command-line options of `npm run bench`: which workloads and engines, and how long to time.
import type { RunSettings } from "./results.js";

export const engineNames = ["cnnc", "cnnc-wasm", "cnnc-baseline", "tfjs-cpu", "tfjs-wasm", "ort-web", "ort-node", "convnetjs"] as const;

export interface BenchOptions {
  readonly settings: RunSettings;
  readonly workloads: readonly string[];
  readonly engines: readonly string[];
  /** write RESULTS.md and results.json (only a complete run does) */
  readonly write: boolean;
  readonly help: boolean;
}

export const usage = `usage: npm run bench -- [--quick] [--workloads w1,w2] [--engines ${engineNames.join(",")}]
                        [--rounds N] [--budget SECONDS] [--max-call SECONDS] [--no-write]
  --quick      short cells (0.1 s) and a 3 s per-call limit: under 2 minutes
  --no-write   print the tables only; RESULTS.md and results.json are written only
               by a run of every workload and every engine in which cnnc compiled`;

const full: RunSettings = { quick: false, rounds: 7, budgetSeconds: 0.5, warmupSeconds: 0.5, maxCallSeconds: 60, compileRepeats: 3 };
const quick: RunSettings = { quick: true, rounds: 5, budgetSeconds: 0.1, warmupSeconds: 0.1, maxCallSeconds: 3, compileRepeats: 1 };

export function parseOptions(argv: readonly string[], allWorkloads: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (["--quick", "--no-write", "--help", "-h"].includes(arg)) switches.add(arg);
    else if (["--workloads", "--engines", "--rounds", "--budget", "--max-call"].includes(arg)) flags.set(arg, argv[++i] ?? "");
    else throw new Error(`unknown argument '${arg}'\n${usage}`);
  }
  const base = switches.has("--quick") ? quick : full;
  const settings: RunSettings = {
    ...base,
    rounds: positive(flags.get("--rounds"), base.rounds, "--rounds"),
    budgetSeconds: positive(flags.get("--budget"), base.budgetSeconds, "--budget"),
    warmupSeconds: positive(flags.get("--budget"), base.warmupSeconds, "--budget"),
    maxCallSeconds: positive(flags.get("--max-call"), base.maxCallSeconds, "--max-call"),
  };
  return {
    settings,
    workloads: listOf(flags.get("--workloads"), allWorkloads, "workload"),
    engines: listOf(flags.get("--engines"), engineNames, "engine"),
    write: !switches.has("--no-write"),
    help: switches.has("--help") || switches.has("-h"),
  };
}

function positive(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${flag} needs a positive number, got '${text}'`);
  return value;
}

// Keeps the canonical order whatever order the user typed, so tables always read the same way.
function listOf(text: string | undefined, known: readonly string[], what: string): string[] {
  if (text === undefined) return [...known];
  const wanted = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of wanted) if (!known.includes(name)) throw new Error(`unknown ${what} '${name}' (known: ${known.join(", ")})`);
  return known.filter((name) => wanted.includes(name));
}
