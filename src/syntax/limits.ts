// Bounds on the input, so no source text can make the parser hang or overflow the stack.
export const syntaxLimits = {
  /** characters in one source text */
  maxSourceLength: 10_000_000,
  /** nested parentheses, as in call values `f(a: g(b: ...))` */
  maxNesting: 32,
  /** characters in one number literal */
  maxNumberLength: 64,
  /** syntax errors reported before the rest are summarised in one line */
  maxErrors: 50,
} as const;
