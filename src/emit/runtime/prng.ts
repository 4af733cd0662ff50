// A tiny seeded generator (mulberry32) spliced into generated classes, so shuffling in `fit`
// (and anything else that needs run-time randomness) is deterministic and import-free.
import { Scope, StructureKind, type MethodDeclarationStructure } from "ts-morph";

export const randomMethodName = "nextRandomUint32";

/** `private nextRandomUint32(state: Uint32Array): number`: advances state[0], returns 32 random bits. */
export function randomMember(): MethodDeclarationStructure {
  return {
    kind: StructureKind.Method,
    name: randomMethodName,
    scope: Scope.Private,
    docs: ["mulberry32: one 32-bit state word, good enough for shuffling and dropout masks."],
    parameters: [{ kind: StructureKind.Parameter, name: "state", type: "Uint32Array" }],
    returnType: "number",
    statements: [
      "const s = (state[0]! + 0x6d2b79f5) >>> 0;",
      "state[0] = s;",
      "let t = Math.imul(s ^ (s >>> 15), s | 1);",
      "t ^= t + Math.imul(t ^ (t >>> 7), t | 61);",
      "return (t ^ (t >>> 14)) >>> 0;",
    ],
  };
}
