/**
 * Training as Keras and TF.js users write it: model.compile / fit / evaluate as methods, Keras's
 * loss and metric names, probabilities vs logits, plain arrays, sparse labels [N, 1], several
 * inputs and outputs. Each of the first tests failed on the code before this issue.
 */
import { Concatenate, Dense, input } from '@sinapse/layers';
import { type Model, model, Sequential } from '@sinapse/models';
import { Generator, randn, seed, type Tensor, tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { evaluate, fit, trainStep } from './fit';
import { meanSquaredError } from './losses/meanSquaredError';
import { sparseCategoricalCrossentropy } from './losses/sparseCategoricalCrossentropy';
import { sparseSoftmaxCrossEntropy } from './losses/sparseSoftmaxCrossEntropy';
import { Adam } from './optimizers/Adam';
import { AdamW } from './optimizers/AdamW';
import { SGD } from './optimizers/SGD';
import './trainer';

/** Three well-separated blobs in 2-D, labels as indices: any working classifier gets them right. */
function blobs(n: number, gen = new Generator(1)): { x: number[][]; y: number[] } {
  const centres = [
    [2, 0],
    [-2, 2],
    [-2, -2],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([centres[c]![0]! + 0.3 * gen.normal(), centres[c]![1]! + 0.3 * gen.normal()]);
    y.push(c);
  }
  return { x, y };
}

function classifier(activation: 'softmax' | 'linear'): Sequential {
  return new Sequential([
    new Dense({ units: 8, activation: 'relu', inputShape: [2] }),
    new Dense({ units: 3, activation }),
  ]);
}

describe('model.compile / fit / evaluate (the methods)', () => {
  it('compile then fit(x, y) and evaluate(x, y) with plain arrays, Keras names throughout', async () => {
    seed(1);
    const m = classifier('softmax');
    const { x, y } = blobs(90);
    m.compile({
      optimizer: new Adam({ learningRate: 0.03 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['acc'],
    });
    const history = await m.fit(x, y, { epochs: 30, batchSize: 16 });
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss']);
    const result = await m.evaluate(x, y);
    expect(Object.keys(result).sort()).toEqual(['acc', 'loss']);
    expect(result.acc).toBe(1);
    expect(result.loss).toBeLessThan(0.2);
  });

  it('evaluate after a sparse fit measures the fit loss (it used to default to softmaxCrossEntropy and throw)', async () => {
    seed(2);
    const m = classifier('linear');
    const data = { x: tensor(blobs(30).x), y: tensor(blobs(30).y) };
    await fit(m, data, { loss: 'sparseSoftmaxCrossEntropy', optimizer: new SGD({ learningRate: 0.1 }) });
    const result = await evaluate(m, data);
    const expected = sparseSoftmaxCrossEntropy(m.predict(data.x), data.y).item();
    expect(result.loss).toBeCloseTo(expected, 5);
  });

  it('compile keeps one optimizer across fits (its step count goes on), as Keras does', async () => {
    const m = classifier('linear');
    const optimizer = new Adam();
    m.compile({ optimizer, loss: 'sparseSoftmaxCrossEntropy' });
    const { x, y } = blobs(32);
    await m.fit(x, y, { batchSize: 16 });
    await m.fit(x, y, { batchSize: 16 });
    expect(optimizer.iterations).toBe(4);
  });

  it('compile checks names when it is called, with a did-you-mean', () => {
    const m = classifier('softmax');
    expect(() => m.compile({ loss: 'sparse_categorical_crossentropi' as never })).toThrow(
      "compile: unknown loss 'sparse_categorical_crossentropi'; did you mean 'sparseCategoricalCrossentropy'?",
    );
    expect(() => m.compile({ metrics: ['accuracyy' as never] })).toThrow(
      "compile: unknown metric 'accuracyy'; did you mean 'accuracy'?",
    );
    expect(() => m.compile({ optimizer: 'adamw', los: 'mse' } as never)).toThrow(
      "compile: unknown option 'los'; did you mean 'loss'?",
    );
  });

  it('fit(dataset, options) and fit(x) without targets', async () => {
    const m = classifier('linear');
    const x = tensor(blobs(8).x);
    const y = tensor(blobs(8).y);
    const dataset = { epoch: () => [{ x, y }] };
    const history = await m.fit(dataset, { loss: 'sparseSoftmaxCrossEntropy', epochs: 2 });
    expect(history.history.loss).toHaveLength(2);
    await expect(m.fit(x)).rejects.toThrow('fit(x, y, options) needs the targets y');
  });

  it("TF.js's callbacks object and Keras's verbose", async () => {
    const m = classifier('linear');
    const { x, y } = blobs(8);
    const epochs: number[] = [];
    await m.fit(x, y, {
      loss: 'sparseSoftmaxCrossEntropy',
      epochs: 2,
      callbacks: { onEpochEnd: (epoch: number) => void epochs.push(epoch) },
    });
    expect(epochs).toEqual([0, 1]);
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      await m.fit(x, y, { loss: 'sparseSoftmaxCrossEntropy', epochs: 1, verbose: 1 });
    } finally {
      console.log = log;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Epoch 1\/1: loss \d/);
    await expect(m.fit(x, y, { verbose: 3 as never })).rejects.toThrow('fit: verbose must be 0, 1 or 2, but got 3');
  });

  it('ragged plain arrays are a clear error naming the method', async () => {
    const m = classifier('linear');
    await expect(m.fit([[1, 2], [3]], [0, 1], { loss: 'sparseSoftmaxCrossEntropy' })).rejects.toThrow(/fit.*ragged/i);
  });
});

describe('probabilities vs logits (Note [Softmax applied twice])', () => {
  it("Dense(softmax) + 'sparse_categorical_crossentropy' (probabilities, Keras's default) trains as well as logits", async () => {
    const accuracyOf = async (activation: 'softmax' | 'linear', loss: string): Promise<number> => {
      seed(5);
      const m = classifier(activation);
      const { x, y } = blobs(60);
      await fit(
        m,
        { x, y },
        { loss: loss as never, optimizer: new SGD({ learningRate: 0.2 }), epochs: 20, batchSize: 10 },
      );
      const result = await evaluate(m, { x, y });
      return result.accuracy!;
    };
    expect(await accuracyOf('softmax', 'sparse_categorical_crossentropy')).toBe(1);
    expect(await accuracyOf('linear', 'sparseSoftmaxCrossEntropy')).toBe(1);
  });

  it('a logits loss given a softmax output is an error with the fix, not a silent double softmax', async () => {
    const m = classifier('softmax');
    const { x, y } = blobs(8);
    await expect(fit(m, { x, y }, { loss: 'sparseSoftmaxCrossEntropy' })).rejects.toThrow(
      /sparseSoftmaxCrossEntropy: expects logits .* a softmax output\. .* 'sparse_categorical_crossentropy'/,
    );
    const probs = tensor([
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    expect(() => sparseCategoricalCrossentropy(probs, [1, 0], { fromLogits: true })).toThrow('expects logits');
    // probabilities are what the Keras-named loss takes by default
    expect(sparseCategoricalCrossentropy(probs, [1, 0]).item()).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 6);
  });

  it('real logits are never taken for probabilities (random rows do not sum to 1)', () => {
    const logits = randn([64, 10]);
    expect(() => sparseSoftmaxCrossEntropy(logits, new Array(64).fill(3))).not.toThrow();
  });
});

describe('labels and metrics as Keras spells them', () => {
  it('sparse labels [N, 1] train and evaluate like [N]', async () => {
    const losses: number[] = [];
    for (const shape of [[30], [30, 1]]) {
      seed(4);
      const m = classifier('linear');
      const { x, y } = blobs(30);
      const h = await fit(m, { x, y: tensor(y, shape) }, { loss: 'sparseSoftmaxCrossEntropy', shuffle: false });
      losses.push(h.history.loss![0]!);
    }
    expect(losses[1]).toBe(losses[0]);
  });

  it.each([
    ['sparse_categorical_accuracy', 'sparse_categorical_accuracy'],
    ['accuracy', 'accuracy'],
    ['top_k_categorical_accuracy', 'top_k_categorical_accuracy'],
  ])("metric '%s' is logged under its name", async (metric, key) => {
    const m = classifier('linear');
    const { x, y } = blobs(9);
    const h = await fit(m, { x, y }, { loss: 'sparseSoftmaxCrossEntropy', metrics: [metric as never] });
    expect(Object.keys(h.history)).toEqual(['loss', key]);
  });

  it("'mae' and 'mse' work as losses and as metrics", async () => {
    const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    const x = randn([8, 2]);
    const y = randn([8, 1]);
    const h = await fit(m, { x, y }, { loss: 'mae', metrics: ['mse'] });
    expect(Object.keys(h.history)).toEqual(['loss', 'mse']);
    const r = await evaluate(m, { x, y });
    expect(r.mse).toBeCloseTo(meanSquaredError(m.predict(x), y).item(), 5);
  });
});

describe('several inputs and outputs', () => {
  /** Two inputs, concatenated; two heads: 'digit' (3 classes, logits) and 'value' (regression). */
  function twoHeads(): Model<Tensor[]> {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [1], name: 'b' });
    const h = new Dense({ name: 'hidden', units: 6, activation: 'tanh' }).apply(new Concatenate().apply([a, b]));
    const digit = new Dense({ name: 'digit', units: 3 }).apply(h);
    const value = new Dense({ name: 'value', units: 1 }).apply(h);
    return model({ inputs: [a, b], outputs: [digit, value] });
  }

  it('per-output losses by name, Keras log names, and loss = Σ weight · output loss', async () => {
    seed(6);
    const m = twoHeads();
    const { x, y } = blobs(12);
    const extra = randn([12, 1]);
    const target = randn([12, 1]);
    const data = { x: [x, extra], y: [y, target] };
    m.compile({
      optimizer: new SGD({ learningRate: 0.05 }),
      loss: { digit: 'sparseSoftmaxCrossEntropy', value: 'mse' },
      metrics: { digit: ['accuracy'] },
      lossWeights: { digit: 1, value: 0.5 },
    });
    const h = await m.fit([x, extra], [y, target], { epochs: 2, batchSize: 4 });
    expect(Object.keys(h.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'value_loss']);
    const r = await evaluate(m, data);
    const [logits, value] = m.predict([tensor(x), extra]);
    const digitLoss = sparseSoftmaxCrossEntropy(logits!, y).item();
    const valueLoss = meanSquaredError(value!, target).item();
    expect(r.digit_loss).toBeCloseTo(digitLoss, 5);
    expect(r.value_loss).toBeCloseTo(valueLoss, 5);
    expect(r.loss).toBeCloseTo(digitLoss + 0.5 * valueLoss, 5);
  });

  it('trainStep takes lists too; a wrong number of targets or an unknown output name is refused', async () => {
    const m = twoHeads();
    const x = [randn([4, 2]), randn([4, 1])];
    const y = [tensor([0, 1, 2, 0]), randn([4, 1])];
    const loss = trainStep(m, x, y, { loss: ['sparseSoftmaxCrossEntropy', 'mse'], optimizer: new SGD() });
    expect(Number.isFinite(loss)).toBe(true);
    await expect(fit(m, { x, y: y[0]! }, { loss: 'mse' })).rejects.toThrow(
      'the model has 2 outputs, so y is a list of 2 targets, but got one tensor',
    );
    expect(() => compile(m, { loss: { digits: 'mse', value: 'mse' } as never })).toThrow(
      "compile: loss names output 'digits'; did you mean 'digit'?",
    );
    expect(() => compile(m, { loss: ['mse'] })).toThrow(
      'loss as a list needs one entry per output (2: digit, value), but got 1',
    );
  });
});

describe('AdamW', () => {
  it('one step = decoupled decay then Adam: w ← w(1 − ηλ) − η m̂/(√v̂ + ε) (torch.optim.AdamW, Keras AdamW)', () => {
    const m = new Sequential([new Dense({ units: 1, inputShape: [2], useBias: false, kernelInitializer: 'ones' })]);
    const x = tensor([[1, 2]]);
    const y = tensor([[0]]);
    const w0 = Array.from(m.trainableWeights[0]!.data);
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    trainStep(m, x, y, { loss: 'mse', optimizer });
    // pred = 3, dL/dpred = 2·3 = 6, g = [6, 12]; after one step m̂ = g, v̂ = g², so the Adam step is η·g/(|g| + ε)
    const expected = w0.map((w, i) => {
      const g = [6, 12][i]!;
      return w * (1 - 0.1 * 0.5) - (0.1 * g) / (Math.abs(g) + 1e-7);
    });
    const w1 = Array.from(m.trainableWeights[0]!.data);
    for (let i = 0; i < 2; i++) expect(w1[i]).toBeCloseTo(expected[i]!, 6);
  });

  it('weightDecay 0 is Adam, bit for bit; its state says AdamW and restores', () => {
    const run = (optimizer: Adam): Float32Array => {
      seed(9);
      const m = classifier('linear');
      const { x, y } = blobs(12);
      for (let i = 0; i < 3; i++) trainStep(m, x, y, { loss: 'sparseSoftmaxCrossEntropy', optimizer });
      return m.trainableWeights[0]!.data as Float32Array;
    };
    expect(run(new AdamW({ weightDecay: 0 }))).toEqual(run(new Adam()));
    const opt = new AdamW({ weightDecay: 0.01 });
    expect(opt.getState().config).toMatchObject({ className: 'AdamW', weightDecay: 0.01 });
    expect(() => new AdamW({ weightDecay: -1 })).toThrow(
      'AdamW: weightDecay must be a non-negative number, but got -1',
    );
    expect(() => new AdamW({ weight_decay: 0.1 } as never)).toThrow(
      "AdamW: unknown option 'weight_decay'; did you mean 'weightDecay'?",
    );
  });
});
