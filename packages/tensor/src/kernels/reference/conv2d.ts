import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

export function conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}

export function conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}

export function conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}
