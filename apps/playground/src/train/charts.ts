import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TrainPoint } from './protocol.ts';

const TRAIN_COLOR = '#6366f1';
const TEST_COLOR = '#f97316';

/** Weight of the newest batch in the smoothed training curve (batch values are noisy). */
const SMOOTHING = 0.1;

/**
 * One learning curve (uPlot): the training value per batch, smoothed (an exponential moving
 * average, bias-corrected as TensorBoard's), as a line; the test value per epoch as dots joined
 * by a line. x is epochs of data seen. The container's `data-points` attribute counts the
 * points drawn (the browser test reads it).
 */
export class Curve {
  readonly #plot: uPlot;
  readonly #el: HTMLElement;
  readonly #data: [number[], (number | null)[], (number | null)[]] = [[], [], []];
  #frame = 0;
  #average = 0;
  #batches = 0;

  constructor(el: HTMLElement, title: string, format: (v: number) => string) {
    this.#el = el;
    const series = (label: string, stroke: string, points: boolean): uPlot.Series => ({
      label,
      stroke,
      width: 2,
      spanGaps: true,
      points: { show: points, size: 6, fill: stroke },
      value: (_u, v) => (v === null || v === undefined ? '–' : format(v)),
    });
    this.#plot = new uPlot(
      {
        title,
        width: Math.max(240, el.clientWidth),
        height: 190,
        scales: { x: { time: false } },
        axes: [{ label: 'epochs', size: 36 }, { size: 48, values: (_u, ticks) => ticks.map(format) }],
        series: [{ label: 'epoch', value: (_u, v) => (v === null ? '–' : v.toFixed(2)) }, series('train', TRAIN_COLOR, false), series('test', TEST_COLOR, true)],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      this.#data,
      el,
    );
    new ResizeObserver(() => this.#plot.setSize({ width: Math.max(240, el.clientWidth), height: 190 })).observe(el);
  }

  reset(): void {
    for (const column of this.#data) column.length = 0;
    this.#average = this.#batches = 0;
    this.#redraw();
  }

  addTrain(x: number, value: number): void {
    this.#average = (1 - SMOOTHING) * this.#average + SMOOTHING * value;
    this.#batches++;
    this.#push(x, this.#average / (1 - (1 - SMOOTHING) ** this.#batches), null);
  }

  addTest(x: number, value: number): void {
    this.#push(x, null, value);
  }

  #push(x: number, train: number | null, test: number | null): void {
    this.#data[0].push(x);
    this.#data[1].push(train);
    this.#data[2].push(test);
    this.#redraw();
  }

  // At most one redraw per frame, however fast the worker reports batches.
  #redraw(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#plot.setData(this.#data);
      this.#el.dataset.points = String(this.#data[0].length);
      this.#el.dataset.testPoints = String(this.#data[2].filter((v) => v !== null).length);
    });
  }
}

/** Both curves of a run: loss and accuracy. */
export function lossAndAccuracy(lossEl: HTMLElement, accuracyEl: HTMLElement) {
  const loss = new Curve(lossEl, 'loss', (v) => v.toFixed(2));
  const accuracy = new Curve(accuracyEl, 'accuracy', (v) => `${(v * 100).toFixed(0)}%`);
  return {
    reset() {
      loss.reset();
      accuracy.reset();
    },
    train(point: TrainPoint) {
      loss.addTrain(point.x, point.loss);
      accuracy.addTrain(point.x, point.accuracy);
    },
    test(x: number, testLoss: number, testAccuracy: number) {
      loss.addTest(x, testLoss);
      accuracy.addTest(x, testAccuracy);
    },
  };
}
