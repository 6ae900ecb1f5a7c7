import { describe, expect, it } from 'vitest';
import { avgPool2d } from './avgPool2d';
import { conv2d } from './conv2d';
import { arange, tensor, zeros } from './creation';
import { globalMaxPool2d } from './globalMaxPool2d';
import { maxPool2d } from './maxPool2d';

// Inputs a JavaScript caller can pass despite the types; each gets an error that says what to do.
describe('bad inputs from plain JavaScript', () => {
  it('zeros(3): shape must be an array', () => {
    expect(() => zeros(3 as never)).toThrow(
      /zeros: shape must be an array of non-negative integers, e\.g\. \[2, 3\], but got 3/,
    );
  });
  it('tensor(DataView) and tensor(BigInt64Array) are refused with the kind of array named', () => {
    expect(() => tensor(new DataView(new ArrayBuffer(8)) as never)).toThrow(/typed arrays must hold numbers.*DataView/);
    expect(() => tensor(new BigInt64Array([1n]) as never)).toThrow(/BigInt64Array/);
  });
  it('cast to an unknown dtype', () => {
    expect(() => tensor([1.7]).cast('int32' as never)).toThrow(
      /cast: dtype must be 'float32' or 'float64', but got "int32"/,
    );
  });
  it('axes of a rank-0 tensor', () => {
    expect(() => tensor(3).softmax()).toThrow(/softmax: a rank-0 tensor \(a scalar\) has no axes, but got axis -1/);
    expect(() => tensor(3).sum(0)).toThrow(/rank-0 tensor/);
  });
  it('gather with a single index picks one slice and drops the axis (NumPy take)', () => {
    const x = arange(6).reshape([2, 3]);
    expect(x.gather(1, 1).toArray()).toEqual([1, 4]);
    expect(x.gather(0).toArray()).toEqual([0, 1, 2]);
    expect(() => x.gather('1' as never)).toThrow(/gather: indices must be a number, an array of integers/);
  });
});

describe('unknown options of the CNN ops', () => {
  const x = zeros([1, 4, 4, 1]);
  it.each([
    [
      () => conv2d(x, zeros([2, 2, 1, 1]), { dilations: 2 } as never),
      /conv2d: unknown option 'dilations'; did you mean 'dilationRate'\?/,
    ],
    [() => maxPool2d(x, { pool_size: 4 } as never), /maxPool2d: unknown option 'pool_size'; did you mean 'poolSize'\?/],
    [() => avgPool2d(x, { stride: 2 } as never), /avgPool2d: unknown option 'stride'; did you mean 'strides'\?/],
    [() => conv2d(x, zeros([2, 2, 1, 1]), { dataFormat: 'NCHW' } as never), /NHWC-only/],
    [() => globalMaxPool2d(x, { keepdims: true } as never), /did you mean 'keepDims'\?/],
  ])('%#: a misspelled option is refused with a suggestion', (run, message) => {
    expect(run).toThrow(message);
  });
});
