/**
 * The inputs the OpInfo samples are made of (Note [OpInfos]), in one place so that a name means
 * the same thing in every group file. Sample inputs are float64, so that the gradient checks
 * (central differences) are accurate, and random ones are fixed by a seed, so that a failing
 * sample fails again on the next run.
 */
import { arange, rand, randn, type TensorInput, tensor } from '../../ops/creation';
import { Generator } from '../../random';
import { type Shape, sizeOf } from '../../shape';
import type { Tensor } from '../../tensor';

/** The creation options of a float64 tensor, e.g. `zeros([2, 0], FLOAT64)`. */
export const FLOAT64 = { dtype: 'float64' } as const;

/** A float64 tensor of these values: nested arrays, or flat values and a shape. */
export function float64(values: TensorInput, shape?: Shape): Tensor {
  return tensor(values, shape, FLOAT64);
}

/** Float64 values drawn from the standard normal distribution, the same for the same seed. */
export function randomNormal(shape: Shape, seed: number): Tensor {
  return randn(shape, { ...FLOAT64, generator: new Generator(seed) });
}

/** Float64 values drawn uniformly from [low, high), the same for the same seed. */
export function randomUniform(shape: Shape, low: number, high: number, seed: number): Tensor {
  return rand(shape, { ...FLOAT64, low, high, generator: new Generator(seed) });
}

/** start, start + 1, start + 2, … laid out in `shape` in row-major order, float64. */
export function iota(shape: Shape, start = 0): Tensor {
  return arange(start, start + sizeOf(shape), 1, FLOAT64).reshape(shape);
}
