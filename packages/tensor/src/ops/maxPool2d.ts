import type { Tensor } from '../tensor';
import type { Pool2DOptions } from './pool2dOptions';

export function maxPool2d(x: Tensor, options: Pool2DOptions = {}): Tensor {
  throw new Error('not implemented yet');
}
