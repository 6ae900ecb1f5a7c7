import { record } from '../autograd/record';
import { allocate, promoteTypes } from '../dtype';
import type { FusedActivation } from '../kernels/backend';
import { Tensor } from '../tensor';
import { CONV2D_OPTION_NAMES, type Conv2DOptions, conv2dGrads, planConv2d, runConv2d } from './conv2d';
import { checkOptions } from './internal/convUtil';
import { assertTensor } from './internal/elementwiseOp';
import { biasActivationGrads, biasData, biasOption, checkActivation, checkBiasShape } from './internal/fusedUtil';

export type { FusedActivation } from '../kernels/backend';

/** Options of {@link fusedConv2d}: those of conv2d, plus the bias and the activation (as tf.fused.conv2d). */
export interface FusedConv2DOptions extends Conv2DOptions {
  /** One value per filter, shape [filters], added to every output position. Default: none. */
  bias?: Tensor | null;
  /** 'linear' (none) or 'relu'. Default 'linear'. */
  activation?: FusedActivation;
}

/**
 * A convolution layer's whole forward step in one op: conv2d, plus a bias per filter, through an
 * activation (tf.fused.conv2d in TF.js):
 *
 *   y[n, oh, ow, f] = act( conv2d(x, kernel)[n, oh, ow, f] + bias[f] ),   act ∈ {linear, relu}
 *
 * It computes the same values as `relu(add(conv2d(x, kernel, options), bias))`, but the bias and
 * the activation are applied in one pass over the convolution's output, in place, and the tape
 * holds one node instead of three. Its backward takes the activation's derivative from y itself
 * (relu'(pre) = [y > 0]), sums the bias gradient over every position, and hands the rest to the
 * convolution's gradient kernels. See Note [Fused bias and activation] in
 * kernels/reference/activation.ts. Other activations: run this with 'linear', then the activation.
 *
 * **Shape**: as {@link conv2d}: x `[N, H, W, C]`, kernel `[KH, KW, C, F]`, bias `[F]`, y
 * `[N, H_out, W_out, F]`. The dtype is promoted from x, kernel and bias.
 *
 * @param x       images, `[batch, height, width, inChannels]`
 * @param kernel  filters, `[kernelHeight, kernelWidth, inChannels, filters]`
 * @param options conv2d's `strides`, `padding`, `dilationRate`; `bias` (default none) and
 *   `activation` (default 'linear')
 * @throws ShapeError as conv2d does, and if bias is not `[filters]`.
 * @throws ValueError as conv2d does, for an activation other than 'linear' and 'relu', a bias that
 *   is not a tensor, or an unknown option.
 * @example
 * const x = arange(16).reshape([1, 4, 4, 1]);        // 0..15, row by row
 * const k = tensor([[1, 0], [0, -1]]).reshape([2, 2, 1, 1]);
 * fusedConv2d(x, k, { bias: tensor([6]), activation: 'relu' }).reshape([3, 3]).toArray();
 * // [[1, 1, 1], [1, 1, 1], [1, 1, 1]]                (relu(−5 + 6) everywhere)
 */
export function fusedConv2d(x: Tensor, kernel: Tensor, options: FusedConv2DOptions = {}): Tensor {
  const op = 'fusedConv2d';
  checkOptions(op, options, "{ strides: 1, padding: 'same', bias, activation: 'relu' }", [
    ...CONV2D_OPTION_NAMES,
    'bias',
    'activation',
  ]);
  assertTensor(op, 'x', x);
  assertTensor(op, 'kernel', kernel);
  const activation = checkActivation(op, options.activation);
  const bias = biasOption(op, options.bias);
  const dtype = promoteTypes(promoteTypes(x.dtype, kernel.dtype), bias?.dtype ?? x.dtype);
  const plan = planConv2d(op, x, kernel, options, dtype);
  const filters = plan.outShape[3];
  checkBiasShape(op, bias, filters, 'filters');
  const y = runConv2d(plan, { bias: biasData(bias, dtype), activation });

  // dpre = dy·act'(pre) (from y), dbias[f] = Σ_{n, oh, ow} dpre[n, oh, ow, f]; then conv2d's
  // gradients with dpre as their upstream gradient
  return record(op, bias === null ? [x, kernel] : [x, kernel, bias], y, (dy) => {
    const g = dy.cast(dtype).data;
    if (plan.backend.fusedConv2dBackward !== undefined) {
      // the same three steps in one backend call, dpre never leaving its memory (Backend.fusedConv2dBackward)
      const zeros = (t: Tensor | null) => (t?.requiresGrad ? new Tensor(allocate(dtype, t.size), t.shape) : null);
      const [dx, dk, db] = [zeros(x), zeros(kernel), zeros(bias)];
      // biome-ignore format: the kernel's argument order
      plan.backend.fusedConv2dBackward(
        g, y.data, plan.xData, plan.wData, dx?.data ?? null, dk?.data ?? null, db?.data ?? null, plan.info, activation,
      );
      return bias === null ? [dx, dk] : [dx, dk, db];
    }
    const { dpre, dbias } = biasActivationGrads(plan.backend, g, y, bias, filters, activation, dtype);
    const [dx, dk] = x.requiresGrad || kernel.requiresGrad ? conv2dGrads(plan, x, kernel, dpre) : [null, null];
    return bias === null ? [dx, dk] : [dx, dk, dbias];
  });
}
