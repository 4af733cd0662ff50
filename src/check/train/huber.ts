// huber(prediction, delta: 1): 0.5 e^2 where |e| <= delta, else delta (|e| - 0.5 delta),
// averaged over every element as mse is (Keras' Huber).
import { optional } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import { lossSignature, type LossDef } from "./loss.js";

const signature = { ...lossSignature, delta: optional(numberKind({ min: 0, minOpen: true }), 1) };

export const huber: LossDef = {
  name: "huber",
  classifies: false,
  signature,
  options: (args) => ({ delta: args.delta as number }),
  validate: () => true,
};
