/**
 * The part fusedConv2d and fusedMatMul share: checking `bias` and `activation`, the forward
 * epilogue act(z + bias) on the product's output, and its backward, which turns the upstream
 * gradient into the product's own (dpre) and the bias gradient. The maths is in
 * Note [Fused bias and activation] (kernels/reference/activation.ts).
 */
import { allocate, type DType, type TypedArray } from '../../dtype';
import { ShapeError, ValueError } from '../../errors';
import type { Backend, FusedActivation } from '../../kernels/backend';
import { formatShape } from '../../shape';
import { Tensor } from '../../tensor';
import { assertTensor } from './elementwiseOp';

const ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu'];

/** `activation` (default 'linear'), checked. @throws ValueError naming the op and the two choices. */
export function checkActivation(op: string, activation: unknown): FusedActivation {
  const act = activation ?? 'linear';
  if (!ACTIVATIONS.includes(act as FusedActivation)) {
    throw new ValueError(
      `${op}: activation must be 'linear' or 'relu', but got ${JSON.stringify(act)}; ` +
        'apply any other activation to the linear result',
    );
  }
  return act as FusedActivation;
}

/** The `bias` option (default null): a tensor or nothing. @throws ValueError for anything else. */
export function biasOption(op: string, bias: unknown): Tensor | null {
  if (bias === undefined || bias === null) return null;
  assertTensor(op, 'bias', bias);
  return bias;
}

/**
 * Checks that a bias has shape [channels], one value per output channel.
 * @param what how the op names the channels, e.g. 'filters' or 'n'
 * @throws ShapeError naming both shapes.
 */
export function checkBiasShape(op: string, bias: Tensor | null, channels: number, what: string): void {
  if (bias === null || (bias.rank === 1 && bias.shape[0] === channels)) return;
  throw new ShapeError(
    `${op}: bias must have shape [${what}] = [${channels}], one value per output channel, ` +
      `but got ${formatShape(bias.shape)}`,
  );
}

/** y = act(y + bias) in place, y seen as rows of `channels` (the product's output, in `dtype`). */
export function applyBiasActivation(
  backend: Backend,
  y: Tensor,
  bias: Tensor | null,
  channels: number,
  activation: FusedActivation,
  dtype: DType,
): void {
  backend.biasActivation(y.data, biasData(bias, dtype), channels, activation);
}

/** The bias's values in the op's dtype (a float32 bias of a float64 op is widened), or null. */
export function biasData(bias: Tensor | null, dtype: DType): TypedArray | null {
  return bias === null ? null : bias.dtype === dtype ? bias.data : Float64Array.from(bias.data);
}

/**
 * The first step of the fused backward: for the upstream gradient g (y's shape, in `dtype`),
 *   dpre = g · act'(pre)      (g itself for 'linear': no copy),
 *   dbias = Σ_rows dpre       (when the bias requires a gradient, else null).
 * dpre is then the gradient the product's own backward receives.
 */
export function biasActivationGrads(
  backend: Backend,
  g: TypedArray,
  y: Tensor,
  bias: Tensor | null,
  channels: number,
  activation: FusedActivation,
  dtype: DType,
): { dpre: TypedArray; dbias: Tensor | null } {
  const dbias = bias?.requiresGrad ? new Tensor(allocate(dtype, channels), bias.shape) : null;
  const dpre = activation === 'linear' ? g : allocate(dtype, g.length);
  // linear without a bias gradient has nothing to do: dpre is g
  if (activation !== 'linear' || dbias !== null) {
    backend.biasActivationBackward(g, y.data, dpre, dbias === null ? null : dbias.data, channels, activation);
  }
  return { dpre, dbias };
}
