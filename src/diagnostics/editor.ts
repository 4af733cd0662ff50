// Catalog of the language server's refusals: not diagnostics of a program (they have no code and
// no span), but the answers an editor shows when a request cannot be done.
// Style as the other catalogs: lower case, no final period, user-chosen names in single quotes.

const user = (name: string): string => `'${name}'`;

export function renameNothingHere(): string {
  return "there is no tensor name here to rename";
}

export function renameNotIdentifier(name: string): string {
  return `${user(name)} is not a name: a name is a letter or '_' followed by letters, digits or '_'`;
}

export function renameKeyword(name: string): string {
  return `${user(name)} is a keyword of the language`;
}

export function renameTaken(name: string, model: string): string {
  return `model ${user(model)} already has a tensor named ${user(name)}`;
}

export function renameBreaks(name: string, message: string): string {
  return `renaming to ${user(name)} would make the program invalid: ${message}`;
}
