/**
 * Argument checks and normalization shared by conv2d and the pooling ops (the Keras
 * `conv_utils.py` / torch `_pair` of Sinapse). Each check names the op, the rule and every value
 * it looked at, and where a common mistake is likely (a missing batch axis, NCHW data), says how
 * to fix it.
 */
import { assert, ShapeError, ValueError } from '../../errors';
import { type Conv2DInfo, computeConv2DInfo } from '../../kernels/index';
import { checkOptionNames } from '../../options';
import { formatShape } from '../../shape';
import type { Tensor } from '../../tensor';

/** A window size, stride or dilation: one number for both axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/**
 * `2` → `[2, 2]`; `[2, 3]` stays. Both entries must be positive integers.
 * @throws ValueError naming the option, e.g. "maxPool2d: strides must be positive integers, but got 0".
 */
export function normalizePair(op: string, name: string, value: Pair): [number, number] {
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : value;
  assert(
    Array.isArray(pair) && pair.length === 2,
    () => `${op}: ${name} must be a number or a pair [height, width], but got ${JSON.stringify(value)}`,
  );
  const [h, w] = pair as [number, number];
  assert(
    Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0,
    () => `${op}: ${name} must be positive integers, but got ${JSON.stringify(value)}`,
  );
  return [h, w];
}

/** @throws ValueError unless `padding` is 'valid' or 'same'. */
export function checkPadding(op: string, padding: unknown): asserts padding is 'valid' | 'same' {
  assert(
    padding === 'valid' || padding === 'same',
    () => `${op}: padding must be 'valid' or 'same', but got ${JSON.stringify(padding)}`,
  );
}

/**
 * Checks that `x` is a non-empty NHWC image batch [batch, height, width, channels]. The two
 * usual mistakes, a single image [28, 28] or [28, 28, 1] without its batch axis, get a hint.
 */
export function checkImageBatch(op: string, x: Tensor): void {
  if (x.rank !== 4) {
    let hint = '';
    if (x.rank === 2) {
      hint = `. Add batch and channel dimensions, e.g. x.reshape([1, ${x.shape[0]}, ${x.shape[1]}, 1])`;
    } else if (x.rank === 3) {
      hint = '. Add a batch dimension with expandDims(0)';
    }
    throw new ShapeError(
      `${op}: input must be rank 4 [batch, height, width, channels], but got shape ${formatShape(x.shape)}${hint}`,
    );
  }
  if (x.size === 0) {
    throw new ShapeError(`${op}: input must not be empty, but got shape ${formatShape(x.shape)}`);
  }
}

/**
 * Checks that the window geometry leaves at least one output cell. With 'valid' padding a window
 * (after dilation) larger than the input gives an empty output; with 'same' that cannot happen.
 */
export function checkOutputNotEmpty(op: string, info: Conv2DInfo, padding: string, windowName = 'window'): void {
  if (info.outHeight > 0 && info.outWidth > 0) return;
  const effH = (info.filterHeight - 1) * info.dilationHeight + 1;
  const effW = (info.filterWidth - 1) * info.dilationWidth + 1;
  const dilated =
    effH !== info.filterHeight || effW !== info.filterWidth
      ? ` (dilated to ${effH}x${effW} by dilationRate [${info.dilationHeight}, ${info.dilationWidth}])`
      : '';
  throw new ShapeError(
    `${op}: ${windowName} ${info.filterHeight}x${info.filterWidth}${dilated} does not fit in input ` +
      `${info.inHeight}x${info.inWidth} with padding '${padding}': output would be ${info.outHeight}x${info.outWidth}`,
  );
}

/** The NHWC dimensions of a checked rank-4 tensor, as a tuple. */
export function nhwc(x: Tensor): [number, number, number, number] {
  return [x.shape[0]!, x.shape[1]!, x.shape[2]!, x.shape[3]!];
}

export function checkOptions(op: string, options: unknown, example: string, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${op}: options must be an object such as ${example}, but got ${JSON.stringify(options)}`);
  }
  checkOptionNames(op, options, known, ValueError);
}

/**
 * Validates a pooling op's input and options (defaults: poolSize 2, strides = poolSize,
 * padding 'valid') and returns the window geometry for the kernels.
 */
export function poolInfo(
  op: string,
  x: Tensor,
  options: { poolSize?: Pair; strides?: Pair; padding?: 'valid' | 'same' },
): Conv2DInfo {
  checkOptions(op, options, "{ poolSize: 2, strides: 2, padding: 'valid' }", ['poolSize', 'strides', 'padding']);
  checkImageBatch(op, x);
  const poolSize = normalizePair(op, 'poolSize', options.poolSize ?? 2);
  const strides = normalizePair(op, 'strides', options.strides ?? poolSize);
  const padding = options.padding ?? 'valid';
  checkPadding(op, padding);
  const [, , , channels] = nhwc(x);
  const info = computeConv2DInfo(nhwc(x), poolSize, channels, strides, [1, 1], padding);
  checkOutputNotEmpty(op, info, padding);
  return info;
}
