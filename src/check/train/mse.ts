// mse(prediction): mean squared error over every element, any shape.
import type { LossDef } from "./loss.js";

export const mse: LossDef = {
  name: "mse",
  classifies: false,
  validate: () => true,
};
