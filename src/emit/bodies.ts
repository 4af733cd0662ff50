// Member bodies are set aside while ts-morph prints the module's structure, then put back into
// its text. ts-morph parses whatever it prints (to hand back a SourceFile), and the bodies are
// nearly all of the text: parsing only the skeleton saves most of a first compile's 0.25 s of
// TypeScript parsing, which nothing here needs (prettier parses the whole module anyway).

/** A placeholder statement no other text in a module can contain: every name in the skeleton is
 *  ASCII, and the header escapes every character outside printable ASCII. */
const mark = (i: number): string => `"\u00a7${i}\u00a7";`;
const MARKS = /"\u00a7(\d+)\u00a7";/g;

export class Bodies {
  private readonly texts: string[] = [];

  /** A placeholder for `text`, for a member's `statements`. */
  defer(text: string): string {
    this.texts.push(text);
    return mark(this.texts.length - 1);
  }

  /** `printed` with every placeholder replaced by its body. */
  restore(printed: string): string {
    let count = 0;
    const out = printed.replace(MARKS, (_, i: string) => {
      count++;
      return this.texts[Number(i)]!;
    });
    if (count !== this.texts.length) throw new Error(`internal: ${this.texts.length} member bodies set aside, ${count} put back`);
    return out;
  }
}
