/**
 * The one check behind every "overwrite these weights" call (Layer.setWeights, Sequential.setWeights,
 * fromArtifacts in @sinapse/models), so each reports a wrong value the same way.
 */
import { ConfigError, formatShape, ShapeError, Tensor } from '@sinapse/tensor';
import type { Parameter } from '../Parameter';

/**
 * Checks that `values` can replace `params`, one for one: each is a Tensor, there are as many as
 * weights, and each has its weight's shape. Checks everything before the caller changes anything,
 * so a failed call leaves the weights as they were. Dtypes are not compared: a float64 value goes
 * into a float32 weight rounded, as Keras's set_weights does.
 * @param who starts every message: "Dense 'fc1': setWeights", "fromArtifacts: modelJson".
 * @param listName how the count message lists the weights it expects (a layer shortens 'fc1/kernel' to 'kernel').
 * @throws ConfigError for a value that is not a Tensor (a plain array, say).
 * @throws ShapeError naming the weight, its shape and what was given, or the count and the weights expected.
 * @example
 * checkWeightValues("Dense 'd': setWeights", dense.weights, [tensor([[1, 2]])]);
 * // ShapeError: Dense 'd': setWeights expects 2 tensors (d/kernel [1, 2], d/bias [2]), but got 1
 */
export function checkWeightValues(
  who: string,
  params: readonly Parameter[],
  values: readonly Tensor[],
  listName: (p: Parameter) => string = (p) => p.name,
): void {
  values.forEach((v, i) => {
    if (!(v instanceof Tensor)) {
      const got = Array.isArray(v) ? 'an array' : JSON.stringify(v);
      throw new ConfigError(
        `${who}: weight ${i} must be a Tensor, but got ${got}; wrap the values with tensor(values)`,
      );
    }
  });
  if (values.length !== params.length) {
    const expected = params.map((p) => `${listName(p)} ${formatShape(p.shape)}`).join(', ');
    throw new ShapeError(`${who} expects ${params.length} tensors (${expected || 'none'}), but got ${values.length}`);
  }
  params.forEach((p, i) => {
    const v = values[i]!;
    if (v.shape.length !== p.shape.length || v.shape.some((d, j) => d !== p.shape[j])) {
      throw new ShapeError(
        `${who}: weight ${i} (${p.name}) has shape ${formatShape(p.shape)}, but got ${formatShape(v.shape)}`,
      );
    }
  });
}
