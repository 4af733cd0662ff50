// relu, elementwise; see elementwise.ts and activation.ts for the formulas.
import { elementwise } from "./elementwise.js";

export const relu = elementwise(() => ({ op: "relu" }));
