/**
 * Sizes that cannot be allocated: every creation function and op refuses a result past the
 * engine's typed-array limit with a ValueError giving the op, the shape, the element count, the
 * bytes and the limit, before allocating anything (instead of `RangeError: Invalid typed array length`).
 */
import { describe, expect, it } from 'vitest';
import { allocate, checkSize, MAX_ELEMENTS } from '../dtype';
import { ValueError } from '../errors';
import { add } from './add';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2dTranspose';
import { arange, eye, full, ones, rand, randInt, randn, tensor, zeros } from './creation';
import { gather } from './gather';
import { matMul } from './matMul';
import { pad } from './pad';
import { reshape } from './reshape';
import { resizeBilinear } from './resizeBilinear';
import { where } from './where';

const LIMIT = `more than a tensor can hold (${MAX_ELEMENTS} elements, the engine's typed-array limit)`;

/** The error for `op` making a result of `shape`, as its message reads. */
function tooLarge(op: string, shape: number[], elements: string, bytes: string): ValueError {
  return new ValueError(`${op}: the result [${shape.join(', ')}] would have ${elements} elements (${bytes}), ${LIMIT}`);
}

describe('sizes past the limit', () => {
  it("the limit is V8's typed-array length, 2³²", () => {
    expect(MAX_ELEMENTS).toBe(4294967296);
    expect(() => allocate('float32', MAX_ELEMENTS + 1)).toThrow(
      new ValueError(`allocate: the tensor would have 4294967297 elements (17.2 GB as float32), ${LIMIT}`),
    );
    expect(() => checkSize('mine', 'float32', 2.5)).toThrow(
      new ValueError(`mine: the tensor would have 2.5 elements, which is not a count, ${LIMIT}`),
    );
    expect(() => checkSize('mine', 'float64', MAX_ELEMENTS)).not.toThrow();
  });

  it('creation functions name themselves, the shape, the count and the bytes', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(tooLarge('zeros', [1000000, 1000000], '1000000000000', '4 TB as float32'));
    expect(() => ones([1e5, 1e5], { dtype: 'float64' })).toThrow(
      tooLarge('ones', [100000, 100000], '10000000000', '80 GB as float64'),
    );
    expect(() => full([3, 1e9, 2], 7)).toThrow(tooLarge('full', [3, 1000000000, 2], '6000000000', '24 GB as float32'));
    expect(() => rand([1e10])).toThrow(tooLarge('rand', [10000000000], '10000000000', '40 GB as float32'));
    expect(() => randn([1e5, 1e5])).toThrow(/^randn: the result \[100000, 100000\] would have 10000000000 elements/);
    expect(() => randInt([1e5, 1e5], 0, 2)).toThrow(/^randInt: the result \[100000, 100000\]/);
    expect(() => eye(1e5)).toThrow(/^eye: the result \[100000, 100000\]/);
    expect(() => arange(0, 1e10)).toThrow(tooLarge('arange', [10000000000], '10000000000', '40 GB as float32'));
    expect(() => arange(0, Number.POSITIVE_INFINITY)).toThrow(
      /^arange: the result \[Infinity\] would have Infinity elements, which is not a count/,
    );
  });

  it('malformed shapes are refused before any size is computed', () => {
    for (const shape of [[2.5], [-1, 3], [Number.NaN], [Number.POSITIVE_INFINITY]]) {
      expect(() => zeros(shape)).toThrow(ValueError);
      expect(() => randn(shape)).toThrow(/randn: shape dimensions must be non-negative integers/);
    }
    expect(() => reshape(zeros([2, 3]), [1.5, 4])).toThrow(/reshape: dimensions must be non-negative integers or -1/);
    expect(() => reshape(zeros([2, 3]), [-1, -1])).toThrow(/only one dimension can be -1/);
  });

  it('ops check the size of their result: matMul, broadcasting, conv2d, conv2dTranspose, pad, gather, resize, where', () => {
    const column = zeros([1e5, 1]);
    const row = zeros([1, 1e5]);
    expect(() => matMul(column, row)).toThrow(tooLarge('matMul', [100000, 100000], '10000000000', '40 GB as float32'));
    expect(() => add(column, row)).toThrow(tooLarge('add', [100000, 100000], '10000000000', '40 GB as float32'));
    expect(() => where(column, column, row)).toThrow(/^where: the result \[100000, 100000\]/);
    // 1×1 convolution to 10,000 filters of a 1000×1000 image: 1e10 outputs
    expect(() => conv2d(zeros([1, 1000, 1000, 1]), zeros([1, 1, 1, 10000]))).toThrow(
      tooLarge('conv2d', [1, 1000, 1000, 10000], '10000000000', '40 GB as float32'),
    );
    expect(() => conv2dTranspose(zeros([1, 1000, 1000, 1]), zeros([1, 1, 1, 1]), { strides: 100 })).toThrow(
      /^conv2dTranspose: the result \[1, 100000, 100000, 1\] would have 10000000000 elements/,
    );
    expect(() => pad(tensor([1]), [[0, 5e9]])).toThrow(tooLarge('pad', [5000000001], '5000000001', '20 GB as float32'));
    expect(() => gather(row, new Int32Array(1e5))).toThrow(/^gather: the result \[100000, 100000\]/);
    expect(() => resizeBilinear(zeros([1, 2, 2, 1]), [1e5, 1e5])).toThrow(
      /^resizeBilinear: the result \[1, 100000, 100000, 1\]/,
    );
    // a concatenation within the limit still works (the check does not refuse normal sizes)
    expect(concat([row, row]).shape).toEqual([2, 100000]);
  });
});
