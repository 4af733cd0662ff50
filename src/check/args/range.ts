// Numeric ranges of argument values and how messages say them.

export interface Range {
  readonly min?: number;
  /** the minimum itself is excluded: "greater than 0" */
  readonly minOpen?: boolean;
  readonly max?: number;
  /** the maximum itself is excluded: "less than 1" */
  readonly maxOpen?: boolean;
}

export function inRange(value: number, range: Range): boolean {
  if (range.min !== undefined && (range.minOpen ? value <= range.min : value < range.min)) return false;
  if (range.max !== undefined && (range.maxOpen ? value >= range.max : value > range.max)) return false;
  return true;
}

/** "at least 0 and less than 1", "greater than 0", "at most 9007199254740991" */
export function describeRange(range: Range): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.minOpen ? "greater than" : "at least"} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.maxOpen ? "less than" : "at most"} ${range.max}`);
  return parts.join(" and ");
}
