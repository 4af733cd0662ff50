// Syntax highlighting for .cnn: keywords, op, loss and optimizer names (the compiler's own
// registries, written into the bundle at build time), numbers, comments, `|>`.
import { StreamLanguage, type StringStream } from "@codemirror/language";
import vocabulary from "cnnc:vocabulary";

const keywords = new Set(["model", "input", "output", "train", "loss", "optimizer", "as"]);
const builtins = new Set([...vocabulary.ops, ...vocabulary.losses, ...vocabulary.optimizers]);

export const cnnLanguage = StreamLanguage.define<null>({
  name: "cnn",
  token(stream: StringStream): string | null {
    if (stream.eatSpace()) return null;
    if (stream.match("#") || stream.match("//")) {
      stream.skipToEnd();
      return "comment";
    }
    if (stream.match("|>")) return "operator";
    if (stream.match(/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/)) return "number";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      if (keywords.has(word[0])) return "keyword";
      if (builtins.has(word[0])) return "variableName.function";
      // an argument name, as in `kernel: 5` (not a shape annotation, as in `logits: [10]`)
      if (stream.match(/^\s*:(?!\s*\[)/, false)) return "propertyName";
      return "variableName";
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: "#" } },
});
