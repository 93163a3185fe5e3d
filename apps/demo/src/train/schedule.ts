/**
 * Cosine decay of the learning rate over the epochs (Loshchilov and Hutter's SGDR without
 * restarts): epoch `e` of `epochs` trains at `peak · (1 + cos(π · e / epochs)) / 2`, from `peak`
 * down to near 0 for the last epoch, so training ends with small, careful steps.
 */
export function cosineDecay(peak: number, epoch: number, epochs: number): number {
  return (peak * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}
