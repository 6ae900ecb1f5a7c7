import { record } from '../autograd/record';
import { promoteTypes } from '../dtype';
import { ValueError } from '../errors';
import type { FusedActivation } from '../kernels/backend';
import { getBackend } from '../kernels/index';
import type { Tensor } from '../tensor';
import { checkOptions } from './internal/convUtil';
import { assertTensor } from './internal/elementwiseOp';
import {
  applyBiasActivation,
  biasActivationGrads,
  biasOption,
  checkActivation,
  checkBiasShape,
} from './internal/fusedUtil';
import { matMulGrads, planMatMul, runMatMul } from './matMul';

/** Options of {@link fusedMatMul} (as tf.fused.matMul). */
export interface FusedMatMulOptions {
  /** Use a's last two dimensions swapped. Default false. */
  transposeA?: boolean;
  /** Use b's last two dimensions swapped. Default false. */
  transposeB?: boolean;
  /** One value per output column, shape [n], added to every row. Default: none. */
  bias?: Tensor | null;
  /** 'linear' (none) or 'relu'. Default 'linear'. */
  activation?: FusedActivation;
}

/**
 * A dense layer's whole forward step in one op: the matrix product, plus a bias per output
 * column, through an activation (tf.fused.matMul in TF.js):
 *
 *   y[..., i, j] = act( Σ_p op(a)[..., i, p] · op(b)[..., p, j] + bias[j] ),   act ∈ {linear, relu}
 *
 * The same values as `relu(add(matMul(a, b, transposeA, transposeB), bias))`, with the bias and
 * the activation applied in one in-place pass over the product and one node on the tape (see
 * {@link fusedConv2d} and Note [Fused bias and activation] in kernels/reference/activation.ts).
 *
 * **Shape**: as {@link matMul}: op(a) `[...batchA, m, k]`, op(b) `[...batchB, k, n]`, bias `[n]`,
 * y `[...batch, m, n]`. The dtype is promoted from a, b and bias.
 *
 * @param a       shape [...batchA, m, k] ([..., k, m] if transposeA)
 * @param b       shape [...batchB, k, n] ([..., n, k] if transposeB)
 * @param options `transposeA`, `transposeB` (default false), `bias` (default none), `activation`
 *   (default 'linear')
 * @throws ShapeError as matMul does, and if bias is not `[n]`.
 * @throws ValueError for an activation other than 'linear' and 'relu', a bias that is not a
 *   tensor, transpose flags that are not booleans, or an unknown option.
 * @example
 * fusedMatMul(tensor([[1, 2], [3, 4]]), tensor([[1], [-1]]), { bias: tensor([0.5]), activation: 'relu' }).toArray();
 * // [[0], [0]]     (relu(1 − 2 + 0.5) = relu(−0.5), relu(3 − 4 + 0.5) = relu(−0.5))
 */
export function fusedMatMul(a: Tensor, b: Tensor, options: FusedMatMulOptions = {}): Tensor {
  const op = 'fusedMatMul';
  checkOptions(op, options, "{ bias, activation: 'relu' }", ['transposeA', 'transposeB', 'bias', 'activation']);
  assertTensor(op, 'a', a);
  assertTensor(op, 'b', b);
  const transposeA = checkFlag(op, 'transposeA', options.transposeA);
  const transposeB = checkFlag(op, 'transposeB', options.transposeB);
  const activation = checkActivation(op, options.activation);
  const bias = biasOption(op, options.bias);
  const dtype = promoteTypes(promoteTypes(a.dtype, b.dtype), bias?.dtype ?? a.dtype);
  const plan = planMatMul(op, a, b, transposeA, transposeB, dtype);
  checkBiasShape(op, bias, plan.n, 'n');
  const backend = getBackend();
  const y = runMatMul(plan);
  applyBiasActivation(backend, y, bias, plan.n, activation, dtype);

  // dpre = dy·act'(pre) (from y), dbias[j] = Σ over every row of dpre[..., j]; then matMul's
  // gradients with dpre as their upstream gradient
  const inputs = bias === null ? [plan.a, plan.b] : [plan.a, plan.b, bias];
  return record(op, inputs, y, (dy) => {
    const g = dy.cast(dtype).data;
    const { dpre, dbias } = biasActivationGrads(backend, g, y, bias, plan.n, activation, dtype);
    const [da, db] = plan.a.requiresGrad || plan.b.requiresGrad ? matMulGrads(plan, dpre) : [null, null];
    return bias === null ? [da, db] : [da, db, dbias];
  });
}

function checkFlag(op: string, name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new ValueError(`${op}: ${name} must be true or false, but got ${JSON.stringify(value)}`);
  }
  return value;
}
