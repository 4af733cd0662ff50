// The compiler version, printed by --version and in every generated header.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const version: string = (require("../package.json") as { version: string }).version;
