// The fused losses, per sample, as kernel trees. Each returns the sample's loss and, when
// `scale` is not 0, adds scale * dLoss/dInput to the gradient of what it reads (the region was
// zeroed).
//   softmax_cross_entropy reads the logits:  grad = p * sum(t) - t
//   binary_cross_entropy reads the sigmoid's input z:  loss = max(z,0) - z t + log(1 + e^-|z|),
//     grad = sigmoid(z) - t (stable for any z)
//   mse reads the tensor itself: loss = mean (y - t)^2, grad = 2 (y - t) / size
//   mae: loss = mean |y - t|, grad = sign(y - t) / size (0 where y = t, as TensorFlow's sign)
//   huber: e = y - t; loss = mean of 0.5 e^2 (|e| <= delta) or delta (|e| - 0.5 delta),
//     grad = e, or delta sign(e), over size
// softmax_cross_entropy with label smoothing ls reads targets (1 - ls) t + ls / k.
// Targets are either class labels (an integer array: softmax_cross_entropy only) or one value
// per output; `dense` (in scope) says which.
import type { LossNode } from "../ir/graph.js";
import { b } from "../kernel/build.js";
import type { Expr, Region, Stmt } from "../kernel/ir.js";

const targets = { arg: "targets" } as const;
const target = (j: Expr): Expr => b.load(targets, b.add(b.ref("tq"), j));
const scale = b.ref("scale");

export function lossKernel(loss: LossNode, x: Region, g: Region): Stmt[] {
  const size = x.size;
  switch (loss.kind) {
    case "softmax_cross_entropy":
      return loss.labelSmoothing > 0 ? smoothedCrossEntropy(x, g, loss.labelSmoothing) : softmaxCrossEntropy(x, g);
    case "mae":
      return [
        b.const("tq", b.mul(b.ref("s"), size)),
        b.let("loss", 0),
        b.for("j", size, (j) => [
          b.const("d", b.sub(b.at(x, j), target(j))),
          b.assign("loss", b.math("abs", b.ref("d")), "+="),
          b.if(b.ne(scale, 0), [b.put(g, j, b.mul(b.select(b.gt(b.ref("d"), 0), 1, b.select(b.lt(b.ref("d"), 0), -1, 0)), b.div(scale, size)), "+=")]),
        ]),
        b.return(b.div(b.ref("loss"), size)),
      ];
    case "huber": {
      const delta = loss.delta;
      return [
        b.const("tq", b.mul(b.ref("s"), size)),
        b.let("loss", 0),
        b.for("j", size, (j) => [
          b.const("d", b.sub(b.at(x, j), target(j))),
          b.const("e", b.math("abs", b.ref("d"))),
          b.assign("loss", b.select(b.le(b.ref("e"), delta), b.mul(b.mul(b.ref("d"), b.ref("d")), 0.5), b.mul(b.sub(b.ref("e"), 0.5 * delta), delta)), "+="),
          b.if(b.ne(scale, 0), [b.put(g, j, b.mul(b.math("min", b.math("max", b.ref("d"), -delta), delta), b.div(scale, size)), "+=")]),
        ]),
        b.return(b.div(b.ref("loss"), size)),
      ];
    }
    case "binary_cross_entropy":
      return [
        b.const("tq", b.mul(b.ref("s"), size)),
        b.let("loss", 0),
        b.for("j", size, (j) => [
          b.const("z", b.at(x, j)),
          b.const("y", target(j)),
          b.assign("loss", b.add(b.sub(b.math("max", b.ref("z"), 0), b.mul(b.ref("z"), b.ref("y"))), b.math("log1p", b.math("exp", b.neg(b.math("abs", b.ref("z")))))), "+="),
          b.if(b.ne(scale, 0), [b.put(g, j, b.mul(b.sub(b.div(1, b.add(1, b.math("exp", b.neg(b.ref("z"))))), b.ref("y")), b.div(scale, size)), "+=")]),
        ]),
        b.return(b.div(b.ref("loss"), size)),
      ];
    case "mse":
      return [
        b.const("tq", b.mul(b.ref("s"), size)),
        b.let("loss", 0),
        b.for("j", size, (j) => [
          b.const("d", b.sub(b.at(x, j), target(j))),
          b.assign("loss", b.mul(b.ref("d"), b.ref("d")), "+="),
          b.if(b.ne(scale, 0), [b.put(g, j, b.mul(b.ref("d"), b.div(b.mul(2, scale), size)), "+=")]),
        ]),
        b.return(b.div(b.ref("loss"), size)),
      ];
  }
}

function softmaxCrossEntropy(x: Region, g: Region): Stmt[] {
  const k = x.size;
  const logit = (j: Expr): Expr => b.at(x, j);
  const lse = b.ref("lse");
  return [
    b.let("m", -Infinity),
    b.for("j", k, (j) => [b.if(b.gt(logit(j), b.ref("m")), [b.assign("m", logit(j))])]),
    b.let("se", 0),
    b.for("j", k, (j) => [b.assign("se", b.math("exp", b.sub(logit(j), b.ref("m"))), "+=")]),
    b.const("lse", b.add(b.ref("m"), b.math("log", b.ref("se")))),
    b.if(b.ref("dense"), [
      b.const("tq", b.mul(b.ref("s"), k)),
      b.let("loss", 0),
      b.let("ts", 0),
      b.for("j", k, (j) => [
        b.const("t", target(j)),
        b.assign("ts", b.ref("t"), "+="),
        b.assign("loss", b.mul(b.ref("t"), b.sub(lse, logit(j))), "+="),
      ]),
      b.if(b.ne(scale, 0), [
        b.for("j", k, (j) => [b.put(g, j, b.mul(b.sub(b.mul(b.math("exp", b.sub(logit(j), lse)), b.ref("ts")), target(j)), scale), "+=")]),
      ]),
      b.return(b.ref("loss")),
    ]),
    b.const("label", b.load(targets, b.ref("s"))),
    b.if(b.ne(scale, 0), [
      b.for("j", k, (j) => [b.put(g, j, b.mul(b.math("exp", b.sub(logit(j), lse)), scale), "+=")]),
      b.put(g, b.ref("label"), scale, "-="),
    ]),
    b.return(b.sub(lse, logit(b.ref("label")))),
  ];
}

/** softmax_cross_entropy with label smoothing: the targets t' = (1 - ls) t + ls / k, so the
 *  loss is the sum of t'_j (lse - z_j) and the gradient p sum(t') - t'. With a class label,
 *  sum(t') = 1 and the loss is (1 - ls) (lse - z_label) + ls (lse - mean z). */
function smoothedCrossEntropy(x: Region, g: Region, ls: number): Stmt[] {
  const k = x.size;
  const logit = (j: Expr): Expr => b.at(x, j);
  const lse = b.ref("lse");
  const smoothed = (j: Expr): Expr => b.add(b.mul(target(j), 1 - ls), ls / k);
  return [
    b.note(`targets smoothed: (1 - ${ls}) t + ${ls} / ${k}`),
    b.let("m", -Infinity),
    b.for("j", k, (j) => [b.if(b.gt(logit(j), b.ref("m")), [b.assign("m", logit(j))])]),
    b.let("se", 0),
    b.for("j", k, (j) => [b.assign("se", b.math("exp", b.sub(logit(j), b.ref("m"))), "+=")]),
    b.const("lse", b.add(b.ref("m"), b.math("log", b.ref("se")))),
    b.if(b.ref("dense"), [
      b.const("tq", b.mul(b.ref("s"), k)),
      b.let("loss", 0),
      b.let("ts", 0),
      b.for("j", k, (j) => [
        b.const("t", smoothed(j)),
        b.assign("ts", b.ref("t"), "+="),
        b.assign("loss", b.mul(b.ref("t"), b.sub(lse, logit(j))), "+="),
      ]),
      b.if(b.ne(scale, 0), [
        b.for("j", k, (j) => [b.put(g, j, b.mul(b.sub(b.mul(b.math("exp", b.sub(logit(j), lse)), b.ref("ts")), smoothed(j)), scale), "+=")]),
      ]),
      b.return(b.ref("loss")),
    ]),
    b.const("label", b.load(targets, b.ref("s"))),
    b.let("zs", 0),
    b.for("j", k, (j) => [b.assign("zs", logit(j), "+=")]),
    b.if(b.ne(scale, 0), [
      b.for("j", k, (j) => [b.put(g, j, b.mul(b.sub(b.math("exp", b.sub(logit(j), lse)), ls / k), scale), "+=")]),
      b.put(g, b.ref("label"), b.mul(scale, 1 - ls), "-="),
    ]),
    b.return(b.add(b.mul(b.sub(lse, logit(b.ref("label"))), 1 - ls), b.mul(b.sub(lse, b.div(b.ref("zs"), k)), ls))),
  ];
}

/** Number of correct predictions for sample s (classification losses only). */
export function hitsKernel(loss: LossNode, x: Region): Stmt[] | null {
  const size = x.size;
  switch (loss.kind) {
    case "softmax_cross_entropy":
      return [
        b.let("best", 0),
        b.for("j", size, (j) => [b.if(b.gt(b.at(x, j), b.at(x, b.ref("best"))), [b.assign("best", j)])], { start: 1 }),
        b.if(b.ref("dense"), [
          b.const("tq", b.mul(b.ref("s"), size)),
          b.let("want", 0),
          b.for("j", size, (j) => [b.if(b.gt(target(j), target(b.ref("want"))), [b.assign("want", j)])], { start: 1 }),
          b.return(b.select(b.eq(b.ref("best"), b.ref("want")), 1, 0)),
        ]),
        b.return(b.select(b.eq(b.ref("best"), b.load(targets, b.ref("s"))), 1, 0)),
      ];
    case "binary_cross_entropy":
      // Keras' binary accuracy: threshold 0.5 on the sigmoid, i.e. 0 on its input; the
      // fraction of elements right.
      return [
        b.const("tq", b.mul(b.ref("s"), size)),
        b.let("right", 0),
        b.for("j", size, (j) => [b.if(b.eq(b.gt(b.at(x, j), 0), b.gt(target(j), 0.5)), [b.assign("right", 1, "+=")])]),
        b.return(b.div(b.ref("right"), size)),
      ];
    case "mse":
    case "mae":
    case "huber":
      return null;
  }
}
