// leaky_relu, elementwise; see elementwise.ts and activation.ts for the formulas.
import { elementwise } from "./elementwise.js";

export const leaky_relu = elementwise((layer) => {
  if (layer.op !== "leaky_relu") throw new Error("internal: leaky_relu kernel on " + layer.op);
  return { op: "leaky_relu", alpha: layer.attrs.alpha };
});
