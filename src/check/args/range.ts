// Numeric ranges of argument values (the catalog words them, see rangeText).

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
