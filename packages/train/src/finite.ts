/**
 * fit's NaN guard: the checks that turn "the History is full of NaN" into an error on the step
 * where it started, naming the epoch, the batch, the loss and where to look.
 *
 * Two places a NaN comes from in training:
 *   - the data: one NaN pixel in x makes that example's prediction NaN, so the batch's mean loss is
 *     NaN, so every gradient is NaN, so every weight is NaN after the first update;
 *   - the updates: with a learning rate too large the weights grow each step until exp() in the
 *     softmax overflows to Infinity (float32 overflows past 3.4e38), and Infinity − Infinity is NaN.
 * So fit checks the data once before training (one pass, like reading it once more) and the loss of
 * every batch, which the step reads already (loss.item()) for the logs: that check costs nothing.
 */
import { formatShape, type Tensor, ValueError } from '@sinapse/tensor';

/** What fit does about a non-finite loss or input: throw (the default), warn once and go on, or nothing. */
export type NanGuard = 'error' | 'warn' | 'off';

/** The flat index of the first NaN or ±Infinity in `t`, or -1. A plain loop: no closure per element. */
export function firstNonFinite(t: Tensor): number {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v − v is 0 for a finite v and NaN for NaN and ±Infinity: one comparison per element
    if (v - v !== 0) return i;
  }
  return -1;
}

/**
 * "x has NaN at example 3, position [2, 5, 0]" for the first non-finite value among `tensors`
 * (one per model input or output, examples along axis 0), or null when all are finite.
 */
export function describeNonFinite(side: string, tensors: readonly Tensor[]): string | null {
  for (let k = 0; k < tensors.length; k++) {
    const t = tensors[k]!;
    const i = firstNonFinite(t);
    if (i < 0) continue;
    const perExample = t.rank === 0 ? 1 : t.size / t.shape[0]!;
    const example = Math.floor(i / perExample);
    // the position inside the example, unravelled row-major over shape[1:]
    const position: number[] = [];
    let rest = i - example * perExample;
    for (let a = t.rank - 1; a >= 1; a--) {
      position.unshift(rest % t.shape[a]!);
      rest = Math.floor(rest / t.shape[a]!);
    }
    const which = tensors.length > 1 ? `${side}[${k}]` : side;
    return `${which} has ${t.data[i]} at example ${example}, position ${formatShape(position)} (flat index ${i} of shape ${formatShape(t.shape)})`;
  }
  return null;
}

/**
 * Checks training or validation examples before the first epoch: a NaN or Infinity in x or y can
 * only give a NaN loss, so it is refused here (or warned about) rather than found after an epoch.
 */
export function checkFiniteData(
  what: string,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  guard: NanGuard,
  warn: (line: string) => void,
): void {
  if (guard === 'off') return;
  const found = describeNonFinite('x', xs) ?? describeNonFinite('y', ys);
  if (found === null) return;
  const prefix = what === 'data' ? '' : `${what} `;
  const message =
    `fit: ${prefix}${found}; a NaN or Infinity in the data makes the loss NaN and then every weight. ` +
    `Clean or fill the missing values first (or pass nanGuard: 'off' to train anyway)`;
  if (guard === 'error') throw new ValueError(message);
  warn(message);
}

/**
 * The message for a batch whose loss is not finite. `batchData` is that batch's x and y when they
 * were not checked before training (a dataset's batches), so the message can say whether the data
 * or the training diverged.
 */
export function nonFiniteLossMessage(
  epoch: number,
  epochs: number,
  batch: number,
  loss: number,
  learningRate: number,
  batchData: { xs: readonly Tensor[]; ys: readonly Tensor[] } | null,
): string {
  // counted from 1, as the progress bar prints them ("Epoch 2/3"); callbacks get the same numbers minus 1
  const head =
    `fit: the loss of epoch ${epoch + 1}/${epochs}, batch ${batch + 1} is ${loss}, ` +
    'so every weight would become NaN';
  const inData =
    batchData === null ? null : (describeNonFinite('x', batchData.xs) ?? describeNonFinite('y', batchData.ys));
  const data =
    inData !== null
      ? `the cause is in the data: this batch's ${inData}`
      : batchData === null
        ? 'the data was checked before training and is finite, so the training diverged'
        : "this batch's x and y are finite, so the training diverged";
  return (
    `${head}. ${data[0]!.toUpperCase()}${data.slice(1)}. Likely causes: a learning rate too high ` +
    `(it is ${learningRate}: try 10 times smaller), a loss on probabilities given values outside [0, 1], ` +
    `or a log/sqrt/division of 0 in a custom layer or loss. fit(..., { detectAnomaly: true }) names the ` +
    `first op and layer that made a non-finite value; nanGuard: 'warn' or 'off' trains on`
  );
}
