import { tensor, ValueError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { randomRotation, randomShift } from './augment';
import { type Batch, Dataset } from './dataset';

/** n examples: x row i is [i, 10·i] (shape [n, 2]), y[i] = i (shape [n]); so a batch's y names its rows. */
function numbered(n: number): Dataset {
  const x = tensor(
    Array.from({ length: n }, (_, i) => [i, 10 * i]),
    [n, 2],
  );
  const y = tensor(Array.from({ length: n }, (_, i) => i));
  return Dataset.fromTensors({ x, y });
}

const ids = (batches: Iterable<Batch>) => [...batches].map((b) => Array.from(b.y.data));

describe('Dataset.fromTensors', () => {
  it('holds the examples along the first axis, as one batch until batch() is called', () => {
    const ds = numbered(5);
    expect(ds.size).toBe(5);
    expect(ds.numBatches).toBe(1);
    expect(ids(ds)).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('x and y with different numbers of examples are rejected', () => {
    const x = tensor([[1], [2], [3]]);
    expect(() => Dataset.fromTensors({ x, y: tensor([1, 2]) })).toThrow(ValueError);
    expect(() => Dataset.fromTensors({ x, y: tensor([1, 2]) })).toThrow(
      'Dataset.fromTensors: x and y must have the same number of examples along the first axis, but got x [3, 1] and y [2]',
    );
  });
});

describe('Dataset.batch', () => {
  it('size=4 over 10 examples gives batches of 4, 4, 2 with rows copied whole', () => {
    const ds = numbered(10).batch(4);
    expect(ds.numBatches).toBe(3);
    const batches = [...ds];
    expect(batches.map((b) => b.x.shape)).toEqual([
      [4, 2],
      [4, 2],
      [2, 2],
    ]);
    expect(Array.from(batches[2]!.x.data)).toEqual([8, 80, 9, 90]);
    expect(ids(batches)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('dropRemainder skips the short last batch', () => {
    const ds = numbered(10).batch(4, { dropRemainder: true });
    expect(ds.numBatches).toBe(2);
    expect(ids(ds)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
  });

  it('a batch size dividing the data exactly has no remainder either way', () => {
    expect(numbered(8).batch(4).numBatches).toBe(2);
    expect(numbered(8).batch(4, { dropRemainder: true }).numBatches).toBe(2);
  });

  it('batches are fresh copies: changing one leaves the dataset alone', () => {
    const ds = numbered(3).batch(3);
    const first = [...ds][0]!;
    first.x.data[0] = 99;
    expect([...ds][0]!.x.data[0]).toBe(0);
  });

  it('a non-positive or fractional size is rejected', () => {
    expect(() => numbered(3).batch(0)).toThrow('Dataset.batch: size must be a positive integer, but got 0');
    expect(() => numbered(3).batch(1.5)).toThrow(/but got 1.5/);
  });
});

describe('Dataset.shuffle', () => {
  const sorted = Array.from({ length: 50 }, (_, i) => i);
  const order = (ds: Dataset, e: number) => ids(ds.epoch(e)).flat();

  it('the same seed gives the same order for the same epoch', () => {
    const a = numbered(50).shuffle({ seed: 7 }).batch(8);
    const b = numbered(50).shuffle({ seed: 7 }).batch(8);
    expect(order(a, 3)).toEqual(order(b, 3));
    expect(order(a, 0)).toEqual(order(a, 0));
  });

  it('different epochs and different seeds give different orders', () => {
    const ds = numbered(50).shuffle({ seed: 7 });
    expect(order(ds, 0)).not.toEqual(order(ds, 1));
    expect(order(ds, 0)).not.toEqual(order(numbered(50).shuffle({ seed: 8 }), 0));
    expect(order(ds, 0)).not.toEqual(sorted);
  });

  it('every example appears exactly once per epoch, and x rows travel with their y', () => {
    const ds = numbered(50).shuffle({ seed: 1 }).batch(7);
    for (const e of [0, 1, 2]) {
      expect([...order(ds, e)].sort((p, q) => p - q)).toEqual(sorted);
      for (const { x, y } of ds.epoch(e)) {
        for (let k = 0; k < y.size; k++) expect(x.data[2 * k]).toBe(y.data[k]);
      }
    }
  });

  it('without shuffle, every epoch is in stored order', () => {
    expect(order(numbered(50).batch(8), 5)).toEqual(sorted);
  });
});

describe('Dataset.take, skip, split, map', () => {
  it('take(3) and skip(3) select by stored position; counts beyond the size clamp', () => {
    expect(ids(numbered(5).take(3))).toEqual([[0, 1, 2]]);
    expect(ids(numbered(5).skip(3))).toEqual([[3, 4]]);
    expect(numbered(5).take(10).size).toBe(5);
    expect(numbered(5).skip(10).size).toBe(0);
    expect(numbered(5).skip(10).numBatches).toBe(0);
    expect(() => numbered(5).take(-1)).toThrow('Dataset.take: n must be a non-negative integer, but got -1');
  });

  it('take and skip count examples even after batch(): 10 examples, batch(3).take(2) is one batch of 2', () => {
    expect(ids(numbered(10).batch(3).take(2))).toEqual([[0, 1]]);
    expect(
      ids(
        numbered(10)
          .batch(3)
          .take(2 * 3),
      ),
    ).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(ids(numbered(10).batch(3).skip(2))).toEqual([
      [2, 3, 4],
      [5, 6, 7],
      [8, 9],
    ]);
  });

  it('take keeps the batch size and shuffle of the dataset it came from', () => {
    const ds = numbered(20).shuffle({ seed: 3 }).batch(4).take(10);
    expect(ds.numBatches).toBe(3);
    expect(
      ids(ds.epoch(0))
        .flat()
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('split(0.2) holds out the last 20% for validation', () => {
    const { train, validation } = numbered(10).split(0.2);
    expect(ids(train)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]]);
    expect(ids(validation)).toEqual([[8, 9]]);
  });

  it('split({ validation: 3 }) holds out exactly 3', () => {
    const { train, validation } = numbered(10).split({ validation: 3 });
    expect([train.size, validation.size]).toEqual([7, 3]);
  });

  it('a split that leaves a half empty is rejected', () => {
    expect(() => numbered(10).split(1)).toThrow(
      'Dataset.split: both halves need at least one example, but got fraction 1 of 10 examples (a fraction must be strictly between 0 and 1)',
    );
    expect(() => numbered(10).split(0.01)).toThrow(/fraction 0.01 of 10 examples \(0 for validation\)/);
    expect(() => numbered(10).split({ validation: 10 })).toThrow(/validation: 10 of 10 examples/);
  });

  it('map transforms every batch in order, with its epoch and index', () => {
    const seen: string[] = [];
    const ds = numbered(5)
      .batch(2)
      .map(({ x, y }, { epoch, index }) => {
        seen.push(`${epoch}/${index}`);
        return { x, y: tensor(Array.from(y.data, (v) => v * 2)) };
      })
      .map(({ x, y }) => ({ x, y: tensor(Array.from(y.data, (v) => v + 1)) }));
    expect(ids(ds.epoch(4))).toEqual([[1, 3], [5, 7], [9]]);
    expect(seen).toEqual(['4/0', '4/1', '4/2']);
  });

  it('methods return new datasets and leave the original unchanged', () => {
    const base = numbered(6);
    base.batch(2).shuffle({ seed: 1 }).take(3);
    expect(base.numBatches).toBe(1);
    expect(String(base.batch(4).shuffle({ seed: 2 }))).toBe(
      'Dataset(size=6, batchSize=4, numBatches=2, shuffle=seed 2, transforms=0)',
    );
  });
});

describe('options are checked', () => {
  it('batch, shuffle and the augmentations refuse unknown options with a did-you-mean', () => {
    const ds = Dataset.fromTensors({ x: zeros([4, 2, 2, 1]), y: zeros([4]) });
    expect(() => ds.batch(2, { dropRemaider: true } as never)).toThrow(
      /Dataset.batch: unknown option 'dropRemaider'; did you mean 'dropRemainder'/,
    );
    expect(() => ds.shuffle({ sead: 1 } as never)).toThrow(
      /Dataset.shuffle: unknown option 'sead'; did you mean 'seed'/,
    );
    expect(() => randomShift({ max_shift: 1 } as never)).toThrow(
      /randomShift: unknown option 'max_shift'; did you mean 'maxShift'/,
    );
    expect(() => randomRotation({ degrees: 5 } as never)).toThrow(/randomRotation: unknown option 'degrees'/);
  });
});
