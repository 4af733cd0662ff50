// Deno's, Bun's and Node's entry point: the session on the compiled module beside it, as JSON.
import { Net } from "./model.mjs";
import { session } from "./driver.mjs";

console.log(JSON.stringify(session(Net)));
