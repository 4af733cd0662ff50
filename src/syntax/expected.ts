// Plain words for token types, for "expected X, found Y" messages.
import { EOF, type IToken } from "chevrotain";
import { Identifier, keywordTokens, NumberLiteral } from "../../grammar/lexer.js";
import { quoteSource } from "./quote.js";

const punctuation: Readonly<Record<string, string>> = {
  Pipe: "'|>'",
  LCurly: "'{'",
  RCurly: "'}'",
  LParen: "'('",
  RParen: "')'",
  LBracket: "'['",
  RBracket: "']'",
  Colon: "':'",
  Comma: "','",
  Equals: "'='",
  Minus: "'-'",
};

const keywordNames: ReadonlyMap<string, string> = new Map(keywordTokens.map((t) => [t.name, t.name.toLowerCase()]));

// Sets of token types that read better as one word; checked in order, largest first.
const groups: readonly { readonly members: readonly string[]; readonly words: string }[] = [
  { members: ["Input", "Output", "Train", "Identifier"], words: "a statement" },
  { members: ["NumberLiteral", "Identifier", "LBracket"], words: "a value" },
  { members: ["Minus", "NumberLiteral"], words: "a number" },
];

/** "a name", "':' or '='", "a statement or '}'" for a list of token type names. */
export function describeExpected(tokenTypeNames: readonly string[]): string {
  let rest = [...new Set(tokenTypeNames)];
  const words: string[] = [];
  for (const group of groups) {
    if (!group.members.every((m) => rest.includes(m))) continue;
    words.push(group.words);
    rest = rest.filter((name) => !group.members.includes(name) && !(group.words === "a value" && name === "Minus"));
  }
  words.push(...rest.map(describeTokenType));
  return joinAlternatives(words);
}

function describeTokenType(name: string): string {
  if (name === Identifier.name) return "a name";
  if (name === NumberLiteral.name) return "a number";
  if (name === EOF.name) return "end of file";
  if (name === "StatementBreak") return "a new statement";
  const keyword = keywordNames.get(name);
  if (keyword !== undefined) return `'${keyword}'`;
  return punctuation[name] ?? name;
}

export function joinAlternatives(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "something else";
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** The found token as a message shows it: `'|>'`, `'conv2d'`, or "end of file". */
export function describeFound(token: IToken | undefined): string {
  return token === undefined ? "end of file" : quoteSource(token.image);
}

export function isKeyword(token: IToken | undefined): boolean {
  return token !== undefined && keywordNames.has(token.tokenType.name);
}
