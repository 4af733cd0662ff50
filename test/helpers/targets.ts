// The targets every test of generated code runs on: the tests that execute a module are
// parametrised over this list (describe.each), so both back ends meet one contract.
export const targets = ["ts", "wasm"] as const;
export type Target = (typeof targets)[number];
