// Live training curves (uPlot): loss and accuracy against samples seen, for the training
// batches (running mean of the epoch so far), test probes during an epoch, and each epoch's end.
import uPlot from "uplot";
import type { BatchPoint, TestPoint } from "../shared/protocol.js";

type Column = (number | null)[];

/** One x column (samples seen) and, per chart, four series aligned to it with nulls. */
class Curves {
  readonly x: number[] = [];
  readonly loss: Column[] = [[], [], [], []];
  readonly accuracy: Column[] = [[], [], [], []];

  add(samples: number, series: number, loss: number, accuracy: number): void {
    // uPlot needs x strictly increasing: points at the same x (an epoch's last batch, its end,
    // its test) share one row
    const last = this.x.length - 1;
    if (last >= 0 && this.x[last] === samples) {
      this.loss[series]![last] = loss;
      this.accuracy[series]![last] = accuracy * 100;
      return;
    }
    this.x.push(samples);
    for (let s = 0; s < 4; s++) {
      this.loss[s]!.push(s === series ? loss : null);
      this.accuracy[s]!.push(s === series ? accuracy * 100 : null);
    }
  }
}

const seriesNames = ["train (epoch so far)", "test (200-digit probe)", "train (epoch)", "test (epoch)"];
const colours = ["#5b8def", "#e8843c", "#1d3f91", "#b3420b"];

export class TrainingCharts {
  private curves = new Curves();
  private readonly loss: uPlot;
  private readonly accuracy: uPlot;
  private pending = false;

  constructor(lossParent: HTMLElement, accuracyParent: HTMLElement) {
    this.loss = chart(lossParent, "loss", "loss");
    this.accuracy = chart(accuracyParent, "accuracy", "%");
  }

  reset(): void {
    this.curves = new Curves();
    this.redraw();
  }

  batch(point: BatchPoint): void {
    this.curves.add(point.samples, 0, point.loss, point.accuracy);
    this.schedule();
  }

  test(point: TestPoint, epochEnd: boolean): void {
    this.curves.add(point.samples, epochEnd ? 3 : 1, point.loss, point.accuracy);
    this.schedule();
  }

  epoch(samples: number, loss: number, accuracy: number): void {
    this.curves.add(samples, 2, loss, accuracy);
    this.schedule();
  }

  /** Batches come faster than frames: draw at most once a frame. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.redraw();
    });
  }

  private redraw(): void {
    const { x, loss, accuracy } = this.curves;
    this.loss.setData([x, ...loss] as uPlot.AlignedData);
    this.accuracy.setData([x, ...accuracy] as uPlot.AlignedData);
  }
}

function chart(parent: HTMLElement, title: string, unit: string): uPlot {
  const series: uPlot.Series[] = [
    { label: "samples" },
    ...seriesNames.map((label, i): uPlot.Series => ({
      label,
      stroke: colours[i],
      width: i >= 2 ? 2 : 1.5,
      spanGaps: true,
      // the epoch series are points only
      points: { show: i >= 1, size: i >= 2 ? 8 : 5, fill: colours[i] },
      ...(i >= 2 ? { paths: () => null } : {}),
    })),
  ];
  const width = Math.max(320, parent.clientWidth || 480);
  return new uPlot(
    {
      title,
      width,
      height: 240,
      series,
      scales: { x: { time: false } },
      axes: [{ label: "samples seen" }, { label: unit }],
      legend: { live: false },
    },
    [[], [], [], [], []],
    parent,
  );
}
