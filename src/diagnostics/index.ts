// Every diagnostic catalog in one place, and the list of every code (for the fixture meta-test).
import { nameCodes } from "./names.js";
import { sequenceCodes } from "./sequence.js";
import { shapeCodes } from "./shapes.js";
import { syntaxCodes } from "./syntax.js";
import { warningCodes } from "./warnings.js";
import { targetCodes } from "./target.js";

export * from "./diagnostic.js";
export * from "./syntax.js";
export * from "./names.js";
export * from "./shapes.js";
export * from "./sequence.js";
export * from "./internal.js";
export * from "./warnings.js";
export * from "./target.js";
export { renderDiagnostics, type RenderOptions } from "./render.js";
export { toJsonDiagnostics, type JsonDiagnostic, type JsonNote } from "./json.js";

/** Every code a program can trigger (each has a fixture). CNN9xxx (internal.ts) are compiler
 *  bugs, which no fixture can trigger; test/plan.test.ts checks them on broken graphs. */
export const allCodes: readonly string[] = [...syntaxCodes, ...nameCodes, ...shapeCodes, ...sequenceCodes, ...warningCodes, targetCodes[0]];
