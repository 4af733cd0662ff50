// Node modules that ts-morph and TypeScript import but never call with an in-memory file
// system: the browser build resolves them here.
export default {};
