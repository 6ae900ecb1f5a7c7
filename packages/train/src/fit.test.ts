/**
 * The training loop end to end on small problems (each a second or less): a CNN memorizes a
 * fixed batch, a separable image problem reaches > 95%, two seeded runs give bit-identical
 * weights, and callbacks run in order, are awaited, and can stop training.
 */
import { Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Parameter } from '@sinapse/layers';
import { Sequential } from '@sinapse/models';
import { Generator, randn, seed, type Tensor, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import type { Callback, Logs, TrainingContext } from './callbacks/Callback';
import { earlyStopping } from './callbacks/earlyStopping';
import { learningRateScheduler } from './callbacks/learningRateScheduler';
import { progressLogger } from './callbacks/progressLogger';
import { terminateOnNaN } from './callbacks/terminateOnNaN';
import type { Batch, DatasetLike } from './data';
import { evaluate, fit, trainStep } from './fit';
import { meanSquaredError } from './losses/meanSquaredError';
import { Adam } from './optimizers/Adam';
import { SGD } from './optimizers/SGD';

function smallCnn(classes: number, withDropout = false): Sequential {
  return new Sequential([
    new Conv2D({ name: 'conv1', filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
    new MaxPooling2D({ name: 'pool1', poolSize: 2 }),
    new Flatten({ name: 'flatten' }),
    ...(withDropout ? [new Dropout({ name: 'drop', rate: 0.25 })] : []),
    new Dense({ name: 'fc', units: classes }),
  ]);
}

/**
 * n images 8×8 whose class is the brighter half: class 0 = left half brighter, 1 = right. Noise
 * N(0, 0.5) on every pixel, halves differ by 1 on average.
 */
function halves(n: number, gen: Generator): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = gen.int(0, 2);
    y[i] = label;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const bright = c < 4 === (label === 0) ? 1 : 0;
        x[i * 64 + r * 8 + c] = bright + 0.5 * gen.normal();
      }
    }
  }
  return { x: tensor(x, [n, 8, 8, 1]), y: tensor(y, [n]) };
}

describe('trainStep', () => {
  it('returns the batch loss, which goes down on a fixed batch (Dense 2 → 1, MSE)', () => {
    seed(0);
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    const x = tensor([
      [1, 2],
      [3, 4],
      [-1, 0],
    ]);
    const y = tensor([[1], [2], [0]]);
    const optimizer = new SGD({ learningRate: 0.05 });
    const losses = Array.from({ length: 30 }, () => trainStep(model, x, y, { loss: 'meanSquaredError', optimizer }));
    expect(losses[29]!).toBeLessThan(losses[0]! / 10);
    expect(model.trainableWeights.every((p) => p.grad === null)).toBe(true);
  });
});

describe('fit', () => {
  it('a small CNN memorizes a fixed batch of 8 images, 3 classes: loss < 0.05', async () => {
    seed(1);
    const x = randn([8, 8, 8, 1]);
    const y = tensor([0, 1, 2, 0, 1, 2, 0, 1]);
    const history = await fit(
      smallCnn(3),
      { x, y },
      {
        epochs: 150,
        batchSize: 8,
        optimizer: new Adam({ learningRate: 0.02 }),
        loss: 'sparseSoftmaxCrossEntropy',
        seed: 1,
      },
    );
    const loss = history.history.loss!;
    expect(loss).toHaveLength(150);
    expect(loss[149]!).toBeLessThan(0.05);
    expect(history.history.accuracy![149]).toBe(1);
  });

  it('which half is brighter: > 95% on held-out images, with validationSplit logs', async () => {
    seed(2);
    const gen = new Generator(2);
    const train = halves(320, gen);
    const test = halves(200, gen);
    const model = smallCnn(2);
    const history = await fit(model, train, {
      epochs: 4,
      batchSize: 16,
      optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
      loss: 'sparseSoftmaxCrossEntropy',
      validationSplit: 0.2,
      seed: 2,
    });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    const result = await evaluate(model, test, { loss: 'sparseSoftmaxCrossEntropy', batchSize: 64 });
    expect(result.accuracy).toBeGreaterThan(0.95);
    expect(result.loss).toBeLessThan(0.3);
  });

  it('two runs with the same seed give bit-identical weights (shuffle and dropout on)', async () => {
    const run = async (): Promise<number[][]> => {
      seed(5);
      const data = halves(64, new Generator(9));
      const model = smallCnn(2, true);
      await fit(model, data, {
        epochs: 2,
        batchSize: 16,
        optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
        loss: 'sparseSoftmaxCrossEntropy',
        seed: 11,
      });
      return model.weights.map((p) => Array.from(p.data));
    };
    const a = await run();
    const b = await run();
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('with a seed, a run resumed at initialEpoch 1 (dropout on) ends with the uninterrupted weights', async () => {
    const setup = () => {
      seed(5);
      return { data: halves(64, new Generator(9)), model: smallCnn(2, true) };
    };
    const options = (epochs: number, initialEpoch = 0) => ({
      epochs,
      initialEpoch,
      batchSize: 16,
      loss: 'sparseSoftmaxCrossEntropy' as const,
      seed: 11,
    });
    // uninterrupted: epochs 0 and 1 (plain SGD: no optimizer state to carry over)
    const full = setup();
    await fit(full.model, full.data, { ...options(2), optimizer: new SGD({ learningRate: 0.05 }) });
    // interrupted after epoch 0, then resumed from its weights; the global generator is disturbed in between
    const first = setup();
    await fit(first.model, first.data, { ...options(1), optimizer: new SGD({ learningRate: 0.05 }) });
    seed(12345);
    await fit(first.model, first.data, { ...options(2, 1), optimizer: new SGD({ learningRate: 0.05 }) });
    expect(first.model.weights.map((p) => Array.from(p.data))).toEqual(
      full.model.weights.map((p) => Array.from(p.data)),
    );
  });

  it('one-hot labels with softmaxCrossEntropy and a dataset of async batches', async () => {
    seed(3);
    const { x, y } = halves(64, new Generator(3));
    const oneHot = tensor(
      Array.from(y.data).flatMap((k) => (k === 0 ? [1, 0] : [0, 1])),
      [64, 2],
    );
    const batches: Batch[] = [0, 1, 2, 3].map((b) => ({
      x: x.slice(b * 16, 16),
      y: oneHot.slice(b * 16, 16),
    }));
    const epochsAsked: number[] = [];
    const dataset: DatasetLike = {
      async *epoch(e: number) {
        epochsAsked.push(e);
        for (const batch of batches) yield batch;
      },
      numBatches: 4,
    };
    const steps: number[] = [];
    const history = await fit(smallCnn(2), dataset, {
      epochs: 3,
      optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
      callbacks: [{ onBatchEnd: (b) => void steps.push(b) }],
    });
    expect(epochsAsked).toEqual([0, 1, 2]);
    expect(steps).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(history.history.loss![2]!).toBeLessThan(history.history.loss![0]!);
  });

  it('callbacks run in order, with the right logs, and async ones are awaited', async () => {
    seed(4);
    const events: string[] = [];
    const slow: Callback = {
      async onEpochEnd(epoch) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`slow epochEnd ${epoch}`);
      },
    };
    const recorder: Callback = {
      onTrainBegin: (ctx) => void events.push(`trainBegin epochs=${ctx.params.epochs} steps=${ctx.params.steps}`),
      onEpochBegin: (epoch) => void events.push(`epochBegin ${epoch}`),
      onBatchEnd: (batch, logs) => void events.push(`batchEnd ${batch} size=${logs.size}`),
      onEpochEnd: (epoch, logs) => void events.push(`epochEnd ${epoch} ${Object.keys(logs).join(',')}`),
      onTrainEnd: () => void events.push('trainEnd'),
    };
    const x = randn([6, 2]);
    const y = randn([6, 1]);
    await fit(
      new Sequential([new Dense({ units: 1, inputShape: [2] })]),
      { x, y },
      {
        epochs: 2,
        batchSize: 2,
        loss: 'meanSquaredError',
        metrics: [],
        validationData: { x, y },
        initialEpoch: 0,
        callbacks: [slow, recorder],
      },
    );
    expect(events).toEqual([
      'trainBegin epochs=2 steps=3',
      'epochBegin 0',
      'batchEnd 0 size=2',
      'batchEnd 1 size=2',
      'batchEnd 2 size=2',
      'slow epochEnd 0',
      'epochEnd 0 loss,val_loss',
      'epochBegin 1',
      'batchEnd 0 size=2',
      'batchEnd 1 size=2',
      'batchEnd 2 size=2',
      'slow epochEnd 1',
      'epochEnd 1 loss,val_loss',
      'trainEnd',
    ]);
  });

  it('ctx.stopTraining set in onBatchEnd stops after that batch; onTrainEnd still runs', async () => {
    const seen: number[] = [];
    let ended = false;
    const history = await fit(
      new Sequential([new Dense({ units: 1, inputShape: [2] })]),
      {
        x: randn([10, 2]),
        y: randn([10, 1]),
      },
      {
        epochs: 5,
        batchSize: 2,
        loss: 'meanSquaredError',
        metrics: [],
        callbacks: [
          {
            onBatchEnd(batch, _logs, ctx) {
              seen.push(batch);
              if (batch === 1) ctx.stopTraining = true;
            },
            onTrainEnd: () => void (ended = true),
          },
        ],
      },
    );
    expect(seen).toEqual([0, 1]);
    expect(history.epoch).toEqual([0]);
    expect(ended).toBe(true);
  });

  it('terminateOnNaN stops at the first NaN loss', async () => {
    const warnings: string[] = [];
    const history = await fit(
      new Sequential([new Dense({ units: 1, inputShape: [2] })]),
      {
        x: randn([8, 2]),
        y: randn([8, 1]),
      },
      {
        epochs: 3,
        batchSize: 4,
        loss: (p, t) => meanSquaredError(p, t).mul(Number.NaN),
        metrics: [],
        callbacks: [terminateOnNaN((line) => warnings.push(line))],
      },
    );
    expect(warnings).toEqual(['terminateOnNaN: batch 0 has loss NaN; stopping training']);
    expect(history.epoch).toEqual([0]);
  });

  it('learningRateScheduler sets the rate each epoch and logs it; progressLogger prints one line per epoch', async () => {
    const lines: string[] = [];
    const optimizer = new SGD({ learningRate: 1 });
    const history = await fit(
      new Sequential([new Dense({ units: 1, inputShape: [2] })]),
      {
        x: randn([4, 2]),
        y: randn([4, 1]),
      },
      {
        epochs: 3,
        batchSize: 4,
        optimizer,
        loss: 'meanSquaredError',
        metrics: [],
        callbacks: [learningRateScheduler((epoch) => 0.1 / 2 ** epoch), progressLogger((l) => lines.push(l))],
      },
    );
    expect(history.history.learning_rate).toEqual([0.1, 0.05, 0.025]);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^Epoch 3\/3: loss \d+\.\d{4} · learning_rate 0\.0250$/);
  });

  it('x with 4 examples and y with 3 throws; epochs -1 throws', async () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    await expect(fit(model, { x: randn([4, 2]), y: randn([3, 1]) })).rejects.toThrow(
      'fit: x and y must have the same number of examples along axis 0, but got x [4, 2] and y [3, 1]',
    );
    await expect(fit(model, { x: randn([4, 2]), y: randn([4, 1]) }, { epochs: -1 })).rejects.toThrow(
      'fit: epochs must be an integer ≥ 0, but got -1',
    );
  });

  it('epochs 0 trains nothing and returns an empty History (Keras)', async () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    const before = model.getWeights().map((w) => Array.from(w.data));
    const history = await fit(model, { x: randn([4, 2]), y: randn([4, 1]) }, { epochs: 0, loss: 'meanSquaredError' });
    expect(history.epoch).toEqual([]);
    expect(history.history).toEqual({});
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });
});

describe('fit and evaluate: data and options', () => {
  const dense = () => new Sequential([new Dense({ name: 'd', units: 1, inputShape: [2] })]);
  const mse = { loss: 'meanSquaredError', metrics: [] } as const;
  /** A dataset that yields all 4 examples as one batch, like Dataset.fromTensors without .batch(). */
  const oneBatch = (): DatasetLike => ({ epoch: () => [{ x: randn([4, 2]), y: randn([4, 1]) }] });

  it('batchSize with a dataset is a ConfigError (fit and evaluate): the dataset brings its own batches', async () => {
    const message = 'batchSize applies to { x, y } tensors; a dataset brings its own batches: call dataset.batch(n)';
    await expect(fit(dense(), oneBatch(), { ...mse, batchSize: 2 })).rejects.toThrow(`fit: ${message}`);
    await expect(evaluate(dense(), oneBatch(), { ...mse, batchSize: 2 })).rejects.toThrow(`evaluate: ${message}`);
    // without batchSize the dataset is used as it batches
    await expect(fit(dense(), oneBatch(), mse)).resolves.toBeDefined();
  });

  it('validationData wins over validationSplit (Keras: validation_data overrides validation_split)', async () => {
    seed(0);
    const x = randn([10, 2]);
    const y = randn([10, 1]);
    const val = { x: randn([3, 2]), y: randn([3, 1]) };
    const sizes: number[] = [];
    const model = dense();
    const history = await fit(
      model,
      { x, y },
      {
        ...mse,
        batchSize: 10,
        validationSplit: 0.5,
        validationData: val,
        callbacks: [{ onBatchEnd: (_b, logs) => void sizes.push(logs.size as number) }],
      },
    );
    expect(sizes).toEqual([10]); // all 10 examples trained on: no split was taken
    expect(history.history.val_loss![0]).toBeCloseTo((await evaluate(model, val, mse)).loss!, 12);
  });

  it('validationData as a Keras-style [x, y] pair is accepted', async () => {
    seed(1);
    const val = [randn([3, 2]), randn([3, 1])] as const;
    const model = dense();
    const history = await fit(model, { x: randn([4, 2]), y: randn([4, 1]) }, { ...mse, validationData: val });
    expect(history.history.val_loss![0]).toBeCloseTo((await evaluate(model, { x: val[0], y: val[1] }, mse)).loss!, 12);
  });

  it('bad validationData is refused before the first epoch', async () => {
    const data = { x: randn([4, 2]), y: randn([4, 1]) };
    let batches = 0;
    const count = { onBatchEnd: () => void batches++ };
    await expect(
      fit(dense(), data, { ...mse, callbacks: [count], validationData: { x: randn([3, 2]), y: randn([2, 1]) } }),
    ).rejects.toThrow(
      'fit: validationData x and y must have the same number of examples along axis 0, but got x [3, 2] and y [2, 1]',
    );
    await expect(
      fit(dense(), data, { ...mse, callbacks: [count], validationData: { x: randn([3, 5]), y: randn([3, 1]) } }),
    ).rejects.toThrow(
      "fit: validationData examples must have the training examples' shape, but got x [3, 5] for training x [4, 2]",
    );
    await expect(
      fit(dense(), data, {
        ...mse,
        callbacks: [count],
        validationData: [randn([3, 2]), randn([3, 1]), randn([3])] as never,
      }),
    ).rejects.toThrow(
      'fit: validationData as an array must be [x, y], but got 3 elements (sample weights are not supported)',
    );
    expect(batches).toBe(0);
  });

  it('unknown option names are refused with a did-you-mean: fit { epoch }, fit { batch_size }, evaluate { metric }', async () => {
    const data = { x: randn([4, 2]), y: randn([4, 1]) };
    await expect(fit(dense(), data, { epoch: 3 } as never)).rejects.toThrow(
      "fit: unknown option 'epoch'; did you mean 'epochs'? Known options: epochs, batchSize,",
    );
    await expect(fit(dense(), data, { batch_size: 3 } as never)).rejects.toThrow(
      "fit: unknown option 'batch_size'; did you mean 'batchSize'?",
    );
    await expect(evaluate(dense(), data, { metric: [] } as never)).rejects.toThrow(
      "evaluate: unknown option 'metric'; did you mean 'metrics'?",
    );
    expect(() =>
      trainStep(dense(), data.x, data.y, { loss: 'meanSquaredError', optimizer: new SGD(), lr: 1 } as never),
    ).toThrow("trainStep: unknown option 'lr'");
  });

  it('a bad metric is refused before any work, by the function it was passed to', async () => {
    const data = { x: randn([4, 2]), y: randn([4, 1]) };
    let batches = 0;
    const count: Callback = { onBatchEnd: () => void batches++ };
    const bad = ['acuracy'] as never;
    await expect(fit(dense(), data, { ...mse, metrics: bad, callbacks: [count] })).rejects.toThrow(
      "fit: unknown metric 'acuracy'; did you mean 'accuracy'?",
    );
    await expect(evaluate(dense(), data, { ...mse, metrics: bad })).rejects.toThrow(
      "evaluate: unknown metric 'acuracy'; did you mean 'accuracy'?",
    );
    await expect(fit(dense(), data, { ...mse, metrics: [(p: Tensor) => p.size] })).rejects.toThrow(
      'fit: a metric function needs a name to be logged under',
    );
    expect(batches).toBe(0);
  });

  it("each epoch's loss and val_loss are means over that epoch alone (the running means restart)", async () => {
    seed(3);
    const data = { x: randn([6, 2]), y: randn([6, 1]) };
    const model = dense();
    // one batch per epoch and no dropout: an epoch's loss is the loss before its step, which evaluate
    // measures at the epoch's start; its val_loss (on the same data) is the loss after the step
    const before: number[] = [];
    const atStart: Callback = { onEpochBegin: async () => void before.push((await evaluate(model, data, mse)).loss!) };
    const history = await fit(model, data, {
      ...mse,
      epochs: 3,
      batchSize: 6,
      optimizer: new SGD({ learningRate: 0.1 }),
      validationData: data,
      callbacks: [atStart],
    });
    const after = (await evaluate(model, data, mse)).loss!;
    expect(before[0]).toBeGreaterThan(after); // it trained, so a mean over several epochs would differ
    const afterStep = [...before.slice(1), after];
    expect(before).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      expect(history.history.loss![e]).toBeCloseTo(before[e]!, 6);
      expect(history.history.val_loss![e]).toBeCloseTo(afterStep[e]!, 6);
    }
  });

  it('evaluate on 0 examples throws instead of returning a loss of NaN (tensors and an empty dataset)', async () => {
    await expect(evaluate(dense(), { x: randn([0, 2]), y: randn([0, 1]) }, mse)).rejects.toThrow(
      'evaluate: data has no examples',
    );
    await expect(evaluate(dense(), { epoch: () => [] }, mse)).rejects.toThrow(
      'evaluate: data has no examples (the dataset yielded no batch)',
    );
    await expect(fit(dense(), { x: randn([0, 2]), y: randn([0, 1]) }, mse)).rejects.toThrow(
      'fit: data has no examples',
    );
  });
});

describe('earlyStopping', () => {
  /** Drives the callback by hand: val_loss per epoch, weight value per epoch. */
  async function drive(
    valLosses: number[],
    options: Parameters<typeof earlyStopping>[0],
  ): Promise<{ stoppedAfter: number; weight: number }> {
    const w = new Parameter(Float32Array.from([0]), [1], 'w');
    const ctx = { model: { weights: [w] }, stopTraining: false } as unknown as TrainingContext;
    const cb = earlyStopping(options);
    await cb.onTrainBegin?.(ctx);
    let epoch = 0;
    for (; epoch < valLosses.length && !ctx.stopTraining; epoch++) {
      w.data[0] = epoch; // "training" sets the weight to the epoch number
      await cb.onEpochEnd?.(epoch, { val_loss: valLosses[epoch]! } as Logs, ctx);
    }
    await cb.onTrainEnd?.({}, ctx);
    return { stoppedAfter: epoch - 1, weight: w.data[0]! };
  }

  it('a misspelled option is refused with a did-you-mean (it would leave the default in place)', () => {
    expect(() => earlyStopping({ patiense: 3 } as never)).toThrow(
      "earlyStopping: unknown option 'patiense'; did you mean 'patience'? Known options: monitor, patience,",
    );
    expect(() => progressLogger(() => {}, { every_batches: 10 } as never)).toThrow(
      "progressLogger: unknown option 'every_batches'; did you mean 'everyBatches'?",
    );
  });

  it('patience 2: best at epoch 1, stops after epoch 3 and restores epoch 1 weights', async () => {
    const result = await drive([1, 0.5, 0.6, 0.7, 0.1], { patience: 2, restoreBestWeights: true });
    expect(result).toEqual({ stoppedAfter: 3, weight: 1 });
  });

  it('minDelta 0.1: an improvement of 0.05 does not count', async () => {
    const result = await drive([1, 0.95, 0.9, 0.5], { patience: 2, minDelta: 0.1 });
    expect(result).toEqual({ stoppedAfter: 2, weight: 2 });
  });

  it("mode 'auto' maximizes a monitor named val_accuracy", async () => {
    const w = new Parameter(Float32Array.from([0]), [1], 'w');
    const ctx = { model: { weights: [w] }, stopTraining: false } as unknown as TrainingContext;
    const cb = earlyStopping({ monitor: 'val_accuracy' });
    cb.onEpochEnd?.(0, { val_accuracy: 0.5 }, ctx);
    cb.onEpochEnd?.(1, { val_accuracy: 0.6 }, ctx);
    expect(ctx.stopTraining).toBe(false);
    cb.onEpochEnd?.(2, { val_accuracy: 0.6 }, ctx);
    expect(ctx.stopTraining).toBe(true);
  });

  it('through fit: monitor loss on a problem it cannot improve, restores the best weights', async () => {
    // MSE with a learning rate so large that the loss grows every epoch: the best weights are the first
    seed(6);
    const model = new Sequential([new Dense({ name: 'fc', units: 1, inputShape: [2] })]);
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tensor([[1], [2]]);
    const afterFirst: number[][] = [];
    const history = await fit(
      model,
      { x, y },
      {
        epochs: 20,
        batchSize: 2,
        optimizer: new SGD({ learningRate: 0.5 }),
        loss: 'meanSquaredError',
        metrics: [],
        callbacks: [
          { onEpochEnd: (e) => void (e === 0 && afterFirst.push(...model.weights.map((p) => Array.from(p.data)))) },
          earlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true }),
        ],
      },
    );
    expect(history.epoch).toEqual([0, 1]);
    expect(model.weights.map((p) => Array.from(p.data))).toEqual(afterFirst);
  });

  it("monitor 'val_loss' without validation data throws, naming the logs", async () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    await expect(
      fit(model, { x: randn([2, 2]), y: randn([2, 1]) }, { loss: 'meanSquaredError', callbacks: [earlyStopping()] }),
    ).rejects.toThrow(
      "earlyStopping: monitor 'val_loss' is not in the epoch logs (loss, accuracy); pass validationData",
    );
  });
});
