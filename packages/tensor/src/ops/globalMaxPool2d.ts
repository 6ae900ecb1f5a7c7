import type { Tensor } from '../tensor';
import type { GlobalPool2DOptions } from './pool2dOptions';

export function globalMaxPool2d(x: Tensor, options: GlobalPool2DOptions = {}): Tensor {
  throw new Error('not implemented yet');
}
