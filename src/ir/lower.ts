// lower(): the IR passes in order, each followed by verify().
import type { CheckedModel } from "../check/types.js";
import type { CompileOptions } from "../options.js";
import { differentiate } from "./autodiff.js";
import { ancestors, buildForward } from "./build.js";
import { fuseActivations } from "./fuse.js";
import type { Graph } from "./graph.js";
import { planMemory } from "./plan.js";
import { verify } from "./verify.js";

export function lower(model: CheckedModel, options: Pick<CompileOptions, "inputGradient">): Graph {
  const graph = buildForward(model);
  verify(graph);
  fuseActivations(graph);
  graph.inferNodes = ancestors(graph.nodes.filter((n) => n.fusedInto === undefined), graph.output);
  verify(graph);
  if (model.train) graph.train = differentiate(graph, model.train, options.inputGradient);
  verify(graph);
  graph.plan = planMemory(graph);
  verify(graph);
  return graph;
}
