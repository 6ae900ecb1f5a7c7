import { ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from './idx';
import { mnistFromBuffers } from './mnist';

/** A tiny fake MNIST: n images of 2x2 pixels, image i filled with pixel value pixels[i]. */
function fakeImages(pixels: number[]): Uint8Array {
  return encodeIdx({ dtype: 'ubyte', shape: [pixels.length, 2, 2], data: pixels.flatMap((p) => [p, p, p, p]) });
}
const fakeLabels = (labels: number[]) => encodeIdx({ dtype: 'ubyte', shape: [labels.length], data: labels });

const buffers = {
  trainImages: fakeImages([0, 255, 51]),
  trainLabels: fakeLabels([3, 0, 9]),
  testImages: fakeImages([102, 255]),
  testLabels: fakeLabels([7, 1]),
};

describe('mnistFromBuffers', () => {
  it('images become [N, H, W, 1] float32 pixel/255, labels indices and one-hot rows', () => {
    const { train, test, normalization } = mnistFromBuffers(buffers);
    expect(train.images.shape).toEqual([3, 2, 2, 1]);
    expect(train.images.dtype).toBe('float32');
    expect(Array.from(train.images.data)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0.2, 0.2, 0.2, 0.2].map(Math.fround));
    expect(Array.from(train.labels.data)).toEqual([3, 0, 9]);
    expect(train.oneHot.shape).toEqual([3, 10]);
    expect(Array.from(train.oneHot.data.subarray(0, 10))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(train.oneHot.data.subarray(20, 30))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(test.images.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(test.labels.data)).toEqual([7, 1]);
    expect(normalization).toEqual({ mean: 0, std: 1 });
  });

  it("normalize: 'standard' uses the training set's mean and std, for test too", () => {
    // training pixels /255: 0, 1, 0.2 (4 each) → mean 0.4, population std sqrt((0.16 + 0.36 + 0.04) / 3)
    const { train, test, normalization } = mnistFromBuffers(buffers, { normalize: 'standard' });
    const std = Math.sqrt(0.56 / 3);
    expect(normalization.mean).toBeCloseTo(0.4, 12);
    expect(normalization.std).toBeCloseTo(std, 12);
    expect(train.images.data[4]).toBeCloseTo((1 - 0.4) / std, 5);
    expect(test.images.data[0]).toBeCloseTo((0.4 - 0.4) / std, 5);
  });

  it('limit and testLimit keep the first N examples', () => {
    const { train, test } = mnistFromBuffers(buffers, { limit: 2, testLimit: 1 });
    expect(train.images.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(train.labels.data)).toEqual([3, 0]);
    expect(train.oneHot.shape).toEqual([2, 10]);
    expect(Array.from(test.labels.data)).toEqual([7]);
  });

  it('a limit larger than the data keeps everything; a negative limit is an error', () => {
    expect(mnistFromBuffers(buffers, { limit: 100 }).train.images.shape[0]).toBe(3);
    expect(() => mnistFromBuffers(buffers, { testLimit: -1 })).toThrow(
      'mnistFromBuffers: testLimit must be a non-negative integer, but got -1',
    );
  });

  it('images and labels that disagree in count are rejected', () => {
    expect(() => mnistFromBuffers({ ...buffers, trainLabels: fakeLabels([1, 2]) })).toThrow(ValueError);
    expect(() => mnistFromBuffers({ ...buffers, trainLabels: fakeLabels([1, 2]) })).toThrow(
      'mnistFromBuffers: trainImages and trainLabels must hold the same number of examples, but got 3 images and 2 labels',
    );
  });

  it('a label outside 0..9 is rejected with its value and position', () => {
    expect(() => mnistFromBuffers({ ...buffers, testLabels: fakeLabels([7, 10]) })).toThrow(
      'mnistFromBuffers: testLabels must be digits 0 to 9, but got 10 at index 1',
    );
  });

  it('swapped files (labels given as images) are rejected by rank', () => {
    expect(() => mnistFromBuffers({ ...buffers, trainImages: buffers.trainLabels })).toThrow(
      'mnistFromBuffers: trainImages must be [N, height, width] ubyte, but got [3] ubyte',
    );
  });

  it('training and test images of different sizes are rejected', () => {
    const big = encodeIdx({ dtype: 'ubyte', shape: [2, 3, 3], data: new Uint8Array(18) });
    expect(() => mnistFromBuffers({ ...buffers, testImages: big })).toThrow(/same height and width/);
  });

  it('an unknown normalize mode is rejected', () => {
    expect(() => mnistFromBuffers(buffers, { normalize: 'minmax' as 'unit' })).toThrow(
      "mnistFromBuffers: normalize must be 'unit' or 'standard', but got 'minmax'",
    );
  });

  it('parse errors name which buffer is broken', () => {
    expect(() => mnistFromBuffers({ ...buffers, testLabels: new Uint8Array([0x1f, 0x8b, 8, 0]) })).toThrow(
      /^parseIdx: testLabels: bad magic number 0x1f8b0800/,
    );
  });
});
