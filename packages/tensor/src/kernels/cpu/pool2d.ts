import type { TypedArray } from '../../dtype';
import type { Conv2DInfo } from '../conv2dInfo';

export function maxPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}

export function maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}

export function avgPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}

export function avgPool2dBackward(dy: TypedArray, dx: TypedArray, info: Conv2DInfo): void {
  throw new Error('not implemented yet');
}
