// Imperative random choices on top of fast-check's gen(), so generated programs still shrink.
import fc from "fast-check";

export class Chooser {
  constructor(private readonly g: fc.GeneratorValue) {}

  /** uniform integer in [min, max] */
  int(min: number, max: number): number {
    return this.g(fc.integer, { min, max });
  }

  chance(probability: number): boolean {
    return this.int(0, 999) < probability * 1000;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}
