// Types for the parts of the `mnist` package (1.1.0, plain CommonJS, no typings) the demo uses.
declare module 'mnist' {
  export interface MnistDigit {
    /** The digit, 0-9. */
    readonly id: number;
    /** Every sample of this digit, 784 pixel values in [0, 1] each, one after another. */
    readonly raw: readonly number[];
    /** Number of samples of this digit. */
    readonly length: number;
  }
  export interface MnistSample {
    input: number[];
    output: number[];
  }
  export interface Mnist extends ReadonlyArray<MnistDigit> {
    /** Shuffles with Math.random: the demo builds its split from `raw` instead. */
    set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
  }
  const mnist: Mnist;
  export default mnist;
}
