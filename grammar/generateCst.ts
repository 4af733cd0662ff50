// Writes grammar/cst.ts, the CST node types of the grammar.
import { writeFileSync } from "node:fs";
import { cstTypesPath, generateCstTypes } from "./cstTypes.js";

writeFileSync(cstTypesPath, generateCstTypes());
