/**
 * MNIST as tensors, from the bytes of its four IDX files. Browser-safe: fetch the files however you
 * like and pass the bytes in; on Node, `loadMnist()` from `@sinapse/data/node` reads them for you.
 */

import { checkOptionNames, formatShape, Tensor, ValueError } from '@sinapse/tensor';
import { type IdxArray, parseIdx } from './idx';

/** MNIST has ten classes, the digits 0 to 9. */
export const MNIST_CLASSES = 10;

/** The four MNIST files, as raw (uncompressed) IDX bytes. */
export interface MnistBuffers {
  /** train-images-idx3-ubyte: [60000, 28, 28] ubyte */
  trainImages: Uint8Array | ArrayBuffer;
  /** train-labels-idx1-ubyte: [60000] ubyte */
  trainLabels: Uint8Array | ArrayBuffer;
  /** t10k-images-idx3-ubyte: [10000, 28, 28] ubyte */
  testImages: Uint8Array | ArrayBuffer;
  /** t10k-labels-idx1-ubyte: [10000] ubyte */
  testLabels: Uint8Array | ArrayBuffer;
}

/** Options for {@link mnistFromBuffers} and `loadMnist`. */
export interface MnistOptions {
  /** Keep only the first `limit` training examples. Default: all 60,000. */
  limit?: number;
  /** Keep only the first `testLimit` test examples. Default: all 10,000. */
  testLimit?: number;
  /**
   * How pixels become floats. 'unit' (default): pixel / 255, in [0, 1]. 'standard': then subtract
   * the training set's mean and divide by its standard deviation, so the inputs have mean 0 and
   * std 1. The statistics are computed from all 60,000 training images (whatever `limit` is), and
   * come out as mean 0.1307 and std 0.3081, the constants you see hard-coded in PyTorch's MNIST
   * example. The test set is normalized with the *training* statistics, never its own.
   */
  normalize?: 'unit' | 'standard';
}

const MNIST_OPTIONS = ['limit', 'testLimit', 'normalize'] as const satisfies readonly (keyof MnistOptions)[];

/** One half of MNIST (training or test), as float32 tensors. */
export interface MnistSplit {
  /** shape [N, 28, 28, 1] (NHWC, one grey channel) */
  images: Tensor;
  /** shape [N]: the digit of each image, 0 to 9 (float32, as losses take them) */
  labels: Tensor;
  /** shape [N, 10]: row i is 1 at column labels[i], 0 elsewhere */
  oneHot: Tensor;
}

/** The result of {@link mnistFromBuffers}. */
export interface Mnist {
  /** The 60,000 training examples (the first `limit` of them, with that option). */
  train: MnistSplit;
  /** The 10,000 test examples (the first `testLimit`), normalized with the training set's statistics. */
  test: MnistSplit;
  /**
   * The map from pixel/255 to the stored value: stored = (pixel/255 - mean) / std. {mean: 0, std: 1}
   * for 'unit'. Apply the same map to any new image you classify.
   */
  normalization: { mean: number; std: number };
}

/**
 * Builds MNIST tensors from the bytes of its four IDX files.
 *
 * Pixels (0 to 255) become float32 pixel/255, optionally standardized with the training set's mean
 * and std (see {@link MnistOptions.normalize}). Labels come both as class indices and one-hot rows.
 *
 * **Shape:** images [N, H, W, 1] (28 x 28 for MNIST), labels [N], oneHot [N, 10].
 *
 * @param buffers the four files, uncompressed
 * @param options `limit`, `testLimit`, `normalize` (default 'unit')
 * @throws ValueError if a file is not valid IDX, images are not [N, H, W] ubyte, labels are not [N]
 *   ubyte, images and labels disagree in count, a label is outside 0 to 9, or a limit is not a
 *   non-negative integer.
 * @example
 * const mnist = mnistFromBuffers({ trainImages, trainLabels, testImages, testLabels }, { limit: 1000 });
 * mnist.train.images.shape; // [1000, 28, 28, 1]
 * mnist.train.labels.data[0]; // 5
 */
export function mnistFromBuffers(buffers: MnistBuffers, options: MnistOptions = {}): Mnist {
  checkOptionNames('mnistFromBuffers', options, MNIST_OPTIONS, ValueError);
  const trainImages = parseIdx(buffers.trainImages, { name: 'trainImages' });
  const trainLabels = parseIdx(buffers.trainLabels, { name: 'trainLabels' });
  const testImages = parseIdx(buffers.testImages, { name: 'testImages' });
  const testLabels = parseIdx(buffers.testLabels, { name: 'testLabels' });
  checkPair(trainImages, trainLabels, 'trainImages', 'trainLabels');
  checkPair(testImages, testLabels, 'testImages', 'testLabels');
  if (testImages.shape[1] !== trainImages.shape[1] || testImages.shape[2] !== trainImages.shape[2]) {
    throw new ValueError(
      `mnistFromBuffers: training and test images must have the same height and width, but got trainImages ${formatShape(trainImages.shape)} and testImages ${formatShape(testImages.shape)}`,
    );
  }
  if (options.normalize !== undefined && options.normalize !== 'unit' && options.normalize !== 'standard') {
    throw new ValueError(`mnistFromBuffers: normalize must be 'unit' or 'standard', but got '${options.normalize}'`);
  }
  const normalization =
    options.normalize === 'standard' ? pixelStatistics(trainImages.data as Uint8Array) : { mean: 0, std: 1 };
  return {
    train: toSplit(trainImages, trainLabels, limitOf('limit', options.limit, trainImages.shape[0]!), normalization),
    test: toSplit(testImages, testLabels, limitOf('testLimit', options.testLimit, testImages.shape[0]!), normalization),
    normalization,
  };
}

/** Checks that an images file and a labels file fit together: [N, H, W] and [N], both ubyte. */
function checkPair(images: IdxArray, labels: IdxArray, imagesName: string, labelsName: string): void {
  if (images.dtype !== 'ubyte' || images.shape.length !== 3) {
    throw new ValueError(
      `mnistFromBuffers: ${imagesName} must be [N, height, width] ubyte, but got ${formatShape(images.shape)} ${images.dtype}`,
    );
  }
  if (labels.dtype !== 'ubyte' || labels.shape.length !== 1) {
    throw new ValueError(
      `mnistFromBuffers: ${labelsName} must be [N] ubyte, but got ${formatShape(labels.shape)} ${labels.dtype}`,
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new ValueError(
      `mnistFromBuffers: ${imagesName} and ${labelsName} must hold the same number of examples, but got ${images.shape[0]} images and ${labels.shape[0]} labels`,
    );
  }
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! >= MNIST_CLASSES) {
      throw new ValueError(
        `mnistFromBuffers: ${labelsName} must be digits 0 to ${MNIST_CLASSES - 1}, but got ${data[i]} at index ${i}`,
      );
    }
  }
}

function limitOf(option: string, limit: number | undefined, available: number): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ValueError(`mnistFromBuffers: ${option} must be a non-negative integer, but got ${limit}`);
  }
  return Math.min(limit, available);
}

/**
 * Mean and std of pixel/255 over every pixel of the training set. A 256-bin histogram makes it one
 * pass of integer increments, and the sums over 256 bins are exact enough in doubles.
 */
function pixelStatistics(pixels: Uint8Array): { mean: number; std: number } {
  const counts = new Float64Array(256);
  for (let i = 0; i < pixels.length; i++) counts[pixels[i]!]!++;
  let sum = 0;
  let sumSquares = 0;
  for (let v = 0; v < 256; v++) {
    const x = v / 255;
    sum += counts[v]! * x;
    sumSquares += counts[v]! * x * x;
  }
  const mean = sum / pixels.length;
  // population variance E[x^2] - E[x]^2, as torchvision's normalization constants use
  const std = Math.sqrt(Math.max(sumSquares / pixels.length - mean * mean, 0));
  return { mean, std: std > 0 ? std : 1 };
}

/** The first `n` examples as tensors: images to floats, labels to indices and one-hot rows. */
function toSplit(images: IdxArray, labels: IdxArray, n: number, norm: { mean: number; std: number }): MnistSplit {
  const [, height, width] = images.shape as [number, number, number];
  const pixels = images.data as Uint8Array;
  const x = new Float32Array(n * height * width);
  // (pixel/255 - mean) / std as one multiply-add per pixel; this loop touches up to 47M pixels.
  const scale = 1 / (255 * norm.std);
  const shift = -norm.mean / norm.std;
  for (let i = 0; i < x.length; i++) x[i] = pixels[i]! * scale + shift;

  const digits = labels.data as Uint8Array;
  const y = new Float32Array(n);
  const oneHot = new Float32Array(n * MNIST_CLASSES);
  for (let i = 0; i < n; i++) {
    y[i] = digits[i]!;
    oneHot[i * MNIST_CLASSES + digits[i]!] = 1;
  }
  return {
    images: new Tensor(x, [n, height, width, 1]),
    labels: new Tensor(y, [n]),
    oneHot: new Tensor(oneHot, [n, MNIST_CLASSES]),
  };
}
