// mae(prediction): mean absolute error over every element, any shape.
import type { LossDef } from "./loss.js";

export const mae: LossDef = {
  name: "mae",
  classifies: false,
  validate: () => true,
};
