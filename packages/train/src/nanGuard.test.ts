/**
 * fit's NaN guard: non-finite data is refused before training (naming the example and position),
 * a non-finite loss stops training on the batch where it happens (naming epoch, batch, loss and
 * the causes), 'warn' and 'off' train on, and a stopping callback (terminateOnNaN) wins.
 */
import {
  BatchNormalization,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  Layer,
  type LayerConfig,
  MaxPooling2D,
} from '@sinapse/layers';
import { Sequential } from '@sinapse/models';
import { Generator, isDetectAnomalyEnabled, randn, seed, type Tensor, tensor, ValueError } from '@sinapse/tensor';
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
    expect(message).toMatch(
      /^fit: the loss of epoch 1\/\d+, batch \d+ is (NaN|Infinity), so every weight would become NaN/,
    );
    expect(message).toContain('The data was checked before training and is finite, so the training diverged');
    expect(message).toContain('a learning rate too high (it is 1000000: try 10 times smaller)');
    // it stopped on that batch: the callbacks saw it, and no later one
    const batch = Number(/batch (\d+)/.exec(message)![1]);
    expect(batches).toBe(batch); // the message counts batches from 1
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
      /^fit: the loss of epoch 1\/\d+, batch 2 is NaN, so every weight would become NaN\. The cause is in the data: this batch's x has NaN at example 4, position \[0\]/,
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
      'fit: the loss of epoch 1/2, batch 1 is N',
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

/** A layer that takes the square root of its input: fine forward at 0, an infinite derivative there. */
class Root extends Layer {
  static override readonly className = 'RootForTest';
  protected call(x: Tensor): Tensor {
    return x.sqrt();
  }
  protected options(): LayerConfig {
    return {};
  }
}

/** A layer that exponentiates: overflows float32 to Infinity past x ≈ 88.7. */
class Exp extends Layer {
  static override readonly className = 'ExpForTest';
  protected call(x: Tensor): Tensor {
    return x.exp();
  }
  protected options(): LayerConfig {
    return {};
  }
}

describe('fit: detectAnomaly', () => {
  it('names the layer whose forward made Infinity, and the op', async () => {
    seed(0);
    const net = new Sequential(
      [new Dense({ name: 'fc', units: 3, inputShape: [2] }), new Exp({ name: 'blowup' }), new Dense({ units: 1 })],
      { name: 'net' },
    );
    const data = regression(16);
    data.x.data[4] = 500; // exp of a large pre-activation is Infinity in float32
    await expect(fit(net, data, { ...options, detectAnomaly: true })).rejects.toThrow(
      /^detectAnomaly: 'exp' in layer 'net\/blowup' produced Infinity at flat index \d+ of shape \[8, 3\] from finite inputs/,
    );
  });

  it('names the layer whose backward made a non-finite gradient (sqrt at 0, after a relu)', async () => {
    seed(0);
    const net = new Sequential(
      [
        new Dense({ name: 'fc', units: 4, activation: 'relu', inputShape: [2] }),
        new Root({ name: 'root' }),
        new Dense({ name: 'out', units: 1 }),
      ],
      { name: 'net' },
    );
    await expect(fit(net, regression(16), { ...options, detectAnomaly: true })).rejects.toThrow(
      /^detectAnomaly: the backward of 'sqrt' in layer 'net\/root' produced (-?Infinity|NaN) at flat index \d+ of shape \[8, 4\] in the gradient of input 0/,
    );
    // without it the run is healthy: relu's backward drops the infinite gradient where its input was ≤ 0.
    // Anomaly mode reports the first non-finite value, even one that a later rule masks.
    seed(0);
    const again = new Sequential([
      new Dense({ units: 4, activation: 'relu', inputShape: [2] }),
      new Root(),
      new Dense({ units: 1 }),
    ]);
    const history = await fit(again, regression(16), { ...options, epochs: 3 });
    expect(history.history.loss!.every(Number.isFinite)).toBe(true);
  });

  it('finds nothing in a healthy run, trains the same weights, and is off again afterwards', async () => {
    const a = model();
    await fit(a, regression(32), { ...options, epochs: 2, detectAnomaly: true });
    const b = model();
    await fit(b, regression(32), { ...options, epochs: 2 });
    expect(a.trainableWeights.map((w) => w.dataSync())).toEqual(b.trainableWeights.map((w) => w.dataSync()));
    expect(isDetectAnomalyEnabled()).toBe(false);
    // the library's own layers and losses make no non-finite value on the way (max pooling pads with
    // -Infinity inside its kernel only; cross-entropy works on log-probabilities)
    seed(1);
    const cnn = new Sequential([
      new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 1] }),
      new BatchNormalization(),
      new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
      new Flatten(),
      new Dropout({ rate: 0.5 }),
      new Dense({ units: 3, activation: 'softmax' }),
    ]);
    const images = { x: randn([12, 6, 6, 1]), y: tensor(Array.from({ length: 12 }, (_, i) => i % 3)) };
    const history = await fit(cnn, images, {
      loss: 'sparseCategoricalCrossentropy',
      batchSize: 4,
      validationSplit: 0.25,
      detectAnomaly: true,
    });
    expect(Number.isFinite(history.history.val_loss![0])).toBe(true);
    await expect(fit(a, regression(8), { ...options, detectAnomaly: 1 as unknown as boolean })).rejects.toThrow(
      'fit: detectAnomaly must be true or false, but got 1',
    );
  });
});
