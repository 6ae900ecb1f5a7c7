/**
 * fit's NaN guard: non-finite data is refused before training (naming the example and position),
 * a non-finite loss stops training on the batch where it happens (naming epoch, batch, loss and
 * the causes), 'warn' and 'off' train on, and a stopping callback (terminateOnNaN) wins.
 */
import { Dense } from '@sinapse/layers';
import { Sequential } from '@sinapse/models';
import { Generator, seed, type Tensor, tensor, ValueError } from '@sinapse/tensor';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Batch } from './data';
import { fit } from './fit';
import { SGD } from './optimizers/SGD';

function regression(n: number): { x: Tensor; y: Tensor } {
  const gen = new Generator(3);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = gen.normal();
    x[2 * i + 1] = gen.normal();
    y[i] = 3 * x[2 * i]! - x[2 * i + 1]!;
  }
  return { x: tensor(x, [n, 2]), y: tensor(y, [n, 1]) };
}

function model(): Sequential {
  seed(0);
  return new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [2] }), new Dense({ units: 1 })]);
}

const options = { loss: 'meanSquaredError', metrics: [], batchSize: 8, shuffle: false } as const;

afterEach(() => vi.restoreAllMocks());

describe('fit: the NaN guard', () => {
  it('refuses x with a NaN before training, naming the example and the position', async () => {
    const data = regression(16);
    data.x.data[2 * 5 + 1] = Number.NaN;
    const m = model();
    const before = m.trainableWeights.map((w) => w.dataSync());
    await expect(fit(m, data, options)).rejects.toThrow(
      new ValueError(
        'fit: x has NaN at example 5, position [1] (flat index 11 of shape [16, 2]); a NaN or Infinity in the data ' +
          "makes the loss NaN and then every weight. Clean or fill the missing values first (or pass nanGuard: 'off' to train anyway)",
      ),
    );
    // nothing was trained
    expect(m.trainableWeights.map((w) => w.dataSync())).toEqual(before);
  });

  it('refuses Infinity in y and in validationData, and names which', async () => {
    const data = regression(16);
    data.y.data[9] = Number.POSITIVE_INFINITY;
    await expect(fit(model(), data, options)).rejects.toThrow(/^fit: y has Infinity at example 9, position \[0\]/);
    const val = regression(8);
    val.x.data[3] = Number.NEGATIVE_INFINITY;
    await expect(fit(model(), regression(16), { ...options, validationData: val })).rejects.toThrow(
      /^fit: validationData x has -Infinity at example 1, position \[1\]/,
    );
    // validationSplit: the whole data is checked before it is split
    const split = regression(16);
    split.x.data[30] = Number.NaN;
    await expect(fit(model(), split, { ...options, validationSplit: 0.25 })).rejects.toThrow(
      /^fit: x has NaN at example 15/,
    );
  });

  it('stops on the first batch whose loss is not finite, naming epoch, batch, loss and learning rate', async () => {
    const m = model();
    let batches = 0;
    const error = await fit(m, regression(64), {
      ...options,
      epochs: 5,
      optimizer: new SGD({ learningRate: 1e6 }),
      callbacks: [{ onBatchEnd: () => void batches++ }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    const message = (error as Error).message;
    expect(message).toMatch(/^fit: the loss of epoch 0, batch \d+ is (NaN|Infinity), so every weight would become NaN/);
    expect(message).toContain('The data was checked before training and is finite, so the training diverged');
    expect(message).toContain('a learning rate too high (it is 1000000: try 10 times smaller)');
    // it stopped on that batch: the callbacks saw it, and no later one
    const batch = Number(/batch (\d+)/.exec(message)![1]);
    expect(batches).toBe(batch + 1);
  });

  it("names a dataset batch's non-finite value when the loss goes NaN (a dataset is not checked up front)", async () => {
    const { x, y } = regression(16);
    const bad = x.dataSync();
    bad[2 * 12] = Number.NaN;
    const dataset = {
      *epoch(): Iterable<Batch> {
        yield { x: tensor(x.data.slice(0, 16), [8, 2]), y: tensor(y.data.slice(0, 8), [8, 1]) };
        yield { x: tensor(bad.slice(16), [8, 2]), y: tensor(y.data.slice(8), [8, 1]) };
      },
    };
    await expect(fit(model(), dataset, { loss: 'meanSquaredError', metrics: [], epochs: 2 })).rejects.toThrow(
      /^fit: the loss of epoch 0, batch 1 is NaN, so every weight would become NaN\. The cause is in the data: this batch's x has NaN at example 4, position \[0\]/,
    );
  });

  it("'warn' warns once and trains on; 'off' is silent; both return the History", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const data = regression(16);
    data.x.data[0] = Number.NaN;
    const history = await fit(model(), data, { ...options, epochs: 2, nanGuard: 'warn' });
    expect(history.history.loss).toEqual([Number.NaN, Number.NaN]);
    expect(warn.mock.calls.map((c) => String(c[0]).slice(0, 40))).toEqual([
      'fit: x has NaN at example 0, position [0',
      'fit: the loss of epoch 0, batch 0 is NaN',
    ]);
    warn.mockClear();
    await fit(model(), data, { ...options, epochs: 2, nanGuard: 'off' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses an unknown nanGuard', async () => {
    await expect(fit(model(), regression(8), { ...options, nanGuard: 'stop' as 'off' })).rejects.toThrow(
      `fit: nanGuard must be 'error', 'warn' or 'off', but got "stop"`,
    );
  });
});
