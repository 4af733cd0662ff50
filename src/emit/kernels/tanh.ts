// tanh, elementwise; see elementwise.ts and activation.ts for the formulas.
import { elementwise } from "./elementwise.js";

export const tanh = elementwise(() => ({ op: "tanh" }));
