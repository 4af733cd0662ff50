// Chevrotain reports a syntax error as a message string. We make that string carry the expected
// token names as JSON, so src/syntax/ words the message from the diagnostics catalog instead.
import type { IParserErrorMessageProvider, TokenType } from "chevrotain";

export interface ErrorDetail {
  /** names of the token types that would have been accepted, e.g. ["Colon", "Equals"] */
  readonly expected: readonly string[];
}

function encode(expected: Iterable<TokenType>): string {
  const names = [...new Set([...expected].map((t) => t.name))];
  return JSON.stringify({ expected: names } satisfies ErrorDetail);
}

// The first token of each path is what the parser could have accepted at the error.
function firstTokens(paths: readonly (readonly TokenType[])[]): TokenType[] {
  return paths.flatMap((path) => (path[0] ? [path[0]] : []));
}

export const errorDetailProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => encode([expected]),
  buildNotAllInputParsedMessage: () => encode([]),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => encode(expectedPathsPerAlt.flatMap(firstTokens)),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => encode(firstTokens(expectedIterationPaths)),
};

export function decodeErrorDetail(message: string): ErrorDetail {
  try {
    const parsed: unknown = JSON.parse(message);
    if (isErrorDetail(parsed)) return parsed;
  } catch {
    // a message not made by errorDetailProvider: fall through
  }
  return { expected: [] };
}

function isErrorDetail(value: unknown): value is ErrorDetail {
  if (typeof value !== "object" || value === null) return false;
  const expected = (value as { expected?: unknown }).expected;
  return Array.isArray(expected) && expected.every((e) => typeof e === "string");
}
