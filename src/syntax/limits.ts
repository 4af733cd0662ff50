// Bounds on the input, so no source text can make the parser hang or overflow the stack.
export const syntaxLimits = {
  /** characters in one source text */
  maxSourceLength: 10_000_000,
  /** tokens in one source text (comments and white space are free): about 40 times the 1,000
   *  layers a model may have, and what keeps any text within maxSourceLength under a second */
  maxTokens: 100_000,
  /** nested parentheses, as in call values `f(a: g(b: ...))` */
  maxNesting: 32,
  /** characters in one number literal */
  maxNumberLength: 64,
  /** syntax errors reported before the rest are summarised in one line */
  maxErrors: 50,
  /** diagnostics of all phases reported for one file before the rest are counted in one line */
  maxDiagnostics: 100,
} as const;
