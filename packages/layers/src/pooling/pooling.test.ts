import { ConfigError, ShapeError, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import type { Layer } from '../Layer';
import { deserializeLayer, serializeLayer } from '../registry';
import { lectureImage } from '../testing/fixtures';
import { gradCheckLayer } from '../testing/gradCheckLayer';
import { runLayerTest } from '../testing/layerTest';
import { AveragePooling2D } from './AveragePooling2D';
import { GlobalAveragePooling2D } from './GlobalAveragePooling2D';
import { GlobalMaxPooling2D } from './GlobalMaxPooling2D';
import { L2Pooling2D } from './L2Pooling2D';
import { MaxPooling2D } from './MaxPooling2D';

// The lecture's 4x4 image, reshaped as in the notebook: image.reshape(1, 4, 4, 1)
const image = lectureImage;

describe('the lecture examples at layer level (outputs of the Keras notebook)', () => {
  it('MaxPooling2D poolSize=2 strides=2 gives [[9, 7], [8, 6]]', () => {
    const y = new MaxPooling2D({ poolSize: 2, strides: 2 }).apply(image());
    expect(y.squeeze().toArray()).toEqual([
      [9, 7],
      [8, 6],
    ]);
  });
  it('AveragePooling2D poolSize=2 strides=2 gives [[4.25, 4.25], [4.25, 3.5]]', () => {
    const y = new AveragePooling2D({ poolSize: 2, strides: 2 }).apply(image());
    expect(y.squeeze().toArray()).toEqual([
      [4.25, 4.25],
      [4.25, 3.5],
    ]);
  });
  it('GlobalMaxPooling2D gives 9 and GlobalAveragePooling2D gives 4.0625', () => {
    expect(new GlobalMaxPooling2D().apply(image()).item()).toBe(9);
    expect(new GlobalAveragePooling2D().apply(image()).item()).toBe(4.0625);
  });
  it('L2Pooling2D gives sqrt(2²+2²+9²+4²) = sqrt(105) in the top-left cell', () => {
    const y = new L2Pooling2D({ poolSize: 2, strides: 2 }).apply(image()).squeeze().toArray() as number[][];
    const want = [
      [Math.sqrt(105), Math.sqrt(95)],
      [Math.sqrt(99), Math.sqrt(60)],
    ];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(y[i]![j]).toBeCloseTo(want[i]![j]!, 5);
  });
});

describe('layer harness', () => {
  const cases = [
    // H_out = floor((H − pool) / stride) + 1 for 'valid', ceil(H / stride) for 'same'
    { cls: MaxPooling2D, opts: {}, input: [2, 28, 28, 6], out: [2, 14, 14, 6] },
    { cls: MaxPooling2D, opts: { poolSize: 3, strides: 2 }, input: [1, 13, 13, 4], out: [1, 6, 6, 4] },
    {
      cls: MaxPooling2D,
      opts: { poolSize: [2, 3], strides: 1, padding: 'same' },
      input: [2, 5, 7, 3],
      out: [2, 5, 7, 3],
    },
    { cls: AveragePooling2D, opts: { poolSize: 2 }, input: [3, 5, 5, 2], out: [3, 2, 2, 2] },
    { cls: AveragePooling2D, opts: { poolSize: 2, padding: 'same' }, input: [3, 5, 5, 2], out: [3, 3, 3, 2] },
    { cls: L2Pooling2D, opts: { poolSize: 3, strides: [1, 2] }, input: [2, 6, 7, 2], out: [2, 4, 3, 2] },
    { cls: GlobalMaxPooling2D, opts: {}, input: [2, 5, 4, 3], out: [2, 3] },
    { cls: GlobalAveragePooling2D, opts: { keepDims: true }, input: [2, 5, 4, 3], out: [2, 1, 1, 3] },
  ] as const;
  it.each(cases.map((c) => [`${c.cls.className} ${JSON.stringify(c.opts)} on [${c.input.join(', ')}]`, c] as const))(
    '%s',
    (title, c) => {
      runLayerTest({
        title,
        make: () => new (c.cls as new (options: never) => Layer)(c.opts as never),
        inputShape: c.input,
        expectedOutputShape: c.out,
        expectedParams: 0,
      });
    },
  );

  it('round-trips through serializeLayer/deserializeLayer with the same class and options', () => {
    const pool = new MaxPooling2D({ poolSize: [2, 3], strides: 1, padding: 'same', name: 'pool1' });
    const twin = deserializeLayer(serializeLayer(pool));
    expect(twin).toBeInstanceOf(MaxPooling2D);
    expect(String(twin)).toBe("MaxPooling2D(poolSize=[2,3], strides=[1,1], padding='same')");
    expect(twin.name).toBe('pool1');
  });

  it('default names are unique and Keras-like', () => {
    const a = new MaxPooling2D();
    const b = new MaxPooling2D();
    expect(a.name).toMatch(/^max_pooling2d_\d+$/);
    expect(a.name).not.toBe(b.name);
  });
});

describe('gradients (float64, central differences)', () => {
  const cases = [
    { cls: MaxPooling2D, opts: { poolSize: 2, strides: 1 } },
    { cls: AveragePooling2D, opts: { poolSize: 3, strides: 2, padding: 'same' } },
    { cls: L2Pooling2D, opts: { poolSize: 2 } },
    { cls: GlobalMaxPooling2D, opts: {} },
    { cls: GlobalAveragePooling2D, opts: {} },
  ] as const;
  it.each(cases.map((c) => [`${c.cls.className} ${JSON.stringify(c.opts)}`, c] as const))('%s', (_t, c) => {
    const layer = new (c.cls as new (options: never) => Layer)({ ...c.opts, dtype: 'float64' } as never);
    expect(gradCheckLayer(layer, [2, 5, 5, 3])).toEqual([]);
  });
});

describe('errors', () => {
  it.each([
    [{ poolSize: [0, 2] }, /MaxPooling2D 'pool1': poolSize must be positive integers, but got \[0, 2\]/],
    [{ poolSize: 1.5 }, /poolSize must be positive integers, but got 1.5/],
    [{ strides: -1 }, /strides must be positive integers, but got -1/],
    [{ padding: 'full' }, /padding must be one of 'valid', 'same', but got "full"/],
  ])('MaxPooling2D(%j) throws in the constructor', (opts, message) => {
    expect(() => new MaxPooling2D({ name: 'pool1', ...(opts as object) })).toThrow(ConfigError);
    expect(() => new MaxPooling2D({ name: 'pool1', ...(opts as object) })).toThrow(message);
  });

  it('GlobalAveragePooling2D keepDims must be boolean', () => {
    expect(() => new GlobalAveragePooling2D({ keepDims: 'yes' as never })).toThrow(/keepDims must be a boolean/);
  });

  it('a 2-D image gets a hint to add batch and channel axes', () => {
    const pool = new MaxPooling2D({ name: 'pool1' });
    expect(() =>
      pool.apply(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(ShapeError);
    expect(() =>
      pool.apply(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(
      "MaxPooling2D 'pool1' expects input [batch, height, width, channels], got [2, 2]; add batch and channel dimensions, e.g. x.reshape([1, 2, 2, 1])",
    );
  });

  it('a 3-D image gets a hint to add the batch axis', () => {
    expect(() => new AveragePooling2D({ name: 'avg' }).apply(tensor(new Float32Array(16), [4, 4, 1]))).toThrow(
      /AveragePooling2D 'avg' expects input \[batch, height, width, channels\], got \[4, 4, 1\]; add a batch dimension with expandDims\(0\)/,
    );
  });

  it('countParams of a pooling layer is 0 even before the input shape is known', () => {
    expect(new MaxPooling2D({ name: 'p' }).countParams()).toBe(0);
    expect(new GlobalAveragePooling2D().weightInfo()).toEqual([]);
    expect(new MaxPooling2D({ inputShape: [4, 4, 1] }).countParams()).toBe(0);
  });
});
