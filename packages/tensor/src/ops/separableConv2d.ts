import { ShapeError } from '../errors';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { type Conv2DOptions, conv2d } from './conv2d';
import { depthwiseConv2d } from './depthwiseConv2d';
import { assertTensor } from './internal/elementwiseOp';

/**
 * Depthwise separable convolution (Xception's, MobileNet's): a {@link depthwiseConv2d} that filters
 * each channel on its own, then a 1x1 {@link conv2d} that mixes the C·M channels into F.
 *
 *   y = conv2d(depthwiseConv2d(x, depthwiseKernel, options), pointwiseKernel)
 *
 * A 3x3 conv2d from C to F channels costs 9·C·F multiply-adds per position; this costs 9·C·M + C·M·F,
 * about 8 to 9 times fewer for M = 1 and F = 256. The gradient is the two ops' gradients chained.
 *
 * **Shape**: x `[N, H, W, C]`, depthwiseKernel `[KH, KW, C, M]`, pointwiseKernel `[1, 1, C·M, F]`
 * → `[N, H_out, W_out, F]` (H_out, W_out as for depthwiseConv2d; the options apply to it only).
 *
 * @throws ShapeError as depthwiseConv2d, or if pointwiseKernel is not `[1, 1, C·M, F]`.
 * @example
 * const x = ones([1, 5, 5, 3]);
 * separableConv2d(x, ones([3, 3, 3, 2]), ones([1, 1, 6, 4]), { padding: 'same' }).shape; // [1, 5, 5, 4]
 */
export function separableConv2d(
  x: Tensor,
  depthwiseKernel: Tensor,
  pointwiseKernel: Tensor,
  options: Conv2DOptions = {},
): Tensor {
  const op = 'separableConv2d';
  assertTensor(op, 'depthwiseKernel', depthwiseKernel);
  assertTensor(op, 'pointwiseKernel', pointwiseKernel);
  // the pointwise kernel is checked before any work; depthwiseConv2d checks x and the depthwise kernel
  const mid = depthwiseKernel.rank === 4 ? depthwiseKernel.shape[2]! * depthwiseKernel.shape[3]! : null;
  const [ph, pw, pin] = pointwiseKernel.shape;
  if (mid !== null && (pointwiseKernel.rank !== 4 || ph !== 1 || pw !== 1 || pin !== mid)) {
    throw new ShapeError(
      `${op}: pointwiseKernel must be [1, 1, channels·depthMultiplier, filters] = [1, 1, ${mid}, filters], ` +
        `but got shape ${formatShape(pointwiseKernel.shape)}`,
    );
  }
  return conv2d(depthwiseConv2d(x, depthwiseKernel, options), pointwiseKernel);
}
