// The part of ConvNetJS 0.3.0's API the benchmark uses; the package ships no types.
declare module "convnetjs" {
  namespace convnetjs {
    export class Vol {
      constructor(sx: number, sy: number, depth: number, c?: number);
      sx: number;
      sy: number;
      depth: number;
      w: Float64Array;
      dw: Float64Array;
    }
    export interface Layer {
      layer_type: string;
      out_act: Vol;
      /** conv: one Vol(kw, kh, in) per output filter; fc: one Vol(1, 1, in) per unit */
      filters?: Vol[];
      biases?: Vol;
    }
    export interface LayerDefinition {
      type: string;
      [option: string]: unknown;
    }
    export class Net {
      layers: Layer[];
      makeLayers(defs: LayerDefinition[]): void;
      forward(v: Vol, isTraining?: boolean): Vol;
    }
    export interface TrainResult {
      loss: number;
      cost_loss: number;
    }
    export class Trainer {
      constructor(net: Net, options: { method?: string; learning_rate?: number; momentum?: number; batch_size?: number; l2_decay?: number });
      train(x: Vol, y: number): TrainResult;
      /** the step is taken when the call count k reaches a multiple of batch_size */
      batch_size: number;
      k: number;
    }
  }
  export = convnetjs;
}
