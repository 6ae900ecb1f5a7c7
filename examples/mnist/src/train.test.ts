import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromOnnx } from '@sinapse/interop';
import { loadLayersModel } from '@sinapse/interop/node';
import { rand } from '@sinapse/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { predictDigit } from './predict';
import { parseTrainArgs, trainMnist } from './train';

const temp = mkdtempSync(join(tmpdir(), 'sinapse-mnist-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const quiet = { log: () => {}, progress: false } as const;

describe('trainMnist', () => {
  it('smoke: 2,000 images, 1 epoch, LeNet-5 reaches > 90% on 1,000 test images and writes every output', async () => {
    const out = join(temp, 'smoke');
    // batch 8 and lr 0.02: 250 small steps get further in one pass than 32 big ones
    const result = await trainMnist({
      ...quiet,
      out,
      limit: 2000,
      testLimit: 1000,
      validationSize: 1000,
      epochs: 1,
      batchSize: 8,
      learningRate: 0.02,
    });
    expect(result.test.accuracy).toBeGreaterThan(0.9);
    for (const file of [
      'model/model.json',
      'model/preprocessing.json',
      'checkpoint/state.json',
      'checkpoint/epoch-1/model.json',
      'checkpoint/epoch-1/preprocessing.json',
      'metrics.json',
      'curves.svg',
      'confusion.svg',
      'filters.svg',
      'feature-maps.svg',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.test.accuracy).toBe(result.test.accuracy);
    expect(metrics.epochs).toHaveLength(1);
    expect(Object.keys(metrics.epochs[0])).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate']);
    expect(metrics.machine.cores).toBeGreaterThan(0);
    for (const name of ['curves.svg', 'confusion.svg', 'filters.svg', 'feature-maps.svg']) {
      const svg = readFileSync(join(out, name), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), name).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>'), name).toBe(true);
      expect(svg.length, name).toBeLessThan(200_000);
    }
  }, 60_000);

  const small = { ...quiet, limit: 512, testLimit: 100, validationSize: 200, batchSize: 32, epochs: 2, seed: 3 };

  it('resume: a run killed after epoch 1 and resumed ends with the same weights as an uninterrupted run', async () => {
    const straight = await trainMnist({ ...small, out: join(temp, 'straight') });
    const crashed = join(temp, 'crashed');
    const crash = {
      onEpochEnd() {
        throw new Error('simulated crash after the epoch-1 checkpoint');
      },
    };
    await expect(trainMnist({ ...small, out: crashed, callbacks: [crash] })).rejects.toThrow(/simulated crash/);
    expect(existsSync(join(crashed, 'model'))).toBe(false); // it died before the end
    const resumed = await trainMnist({ ...quiet, resume: crashed });
    expect(resumed.settings).toEqual(straight.settings);
    const a = straight.model.getWeights();
    const b = resumed.model.getWeights();
    expect(b).toHaveLength(a.length);
    a.forEach((w, i) => {
      expect(Array.from(b[i]!.data), `weight ${i}`).toEqual(Array.from(w.data));
    });
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.test).toEqual(straight.test);
  }, 60_000);

  it('same seed, same numbers: two runs agree on everything but the timings', async () => {
    const settings = { ...small, epochs: 1, augment: true };
    const one = await trainMnist({ ...settings, out: join(temp, 'one') });
    const two = await trainMnist({ ...settings, out: join(temp, 'two') });
    expect(two.history).toEqual(one.history);
    expect(two.test).toEqual(one.test);
    const strip = (dir: string) => {
      const { timings: _t, ...rest } = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
      return rest;
    };
    expect(strip(join(temp, 'two'))).toEqual(strip(join(temp, 'one')));
  }, 60_000);
});

describe('trainMnist with resnet-mini, a functional model', () => {
  const tiny = {
    ...quiet,
    model: 'resnet-mini',
    limit: 128,
    testLimit: 20,
    validationSize: 50,
    batchSize: 32,
    epochs: 2,
    seed: 5,
  } as const;

  it('checkpoints, resumes to the same weights, saves a model predict reads, and draws its stem and blocks', async () => {
    const straight = await trainMnist({ ...tiny, out: join(temp, 'resnet-straight') });
    expect(straight.model.name).toBe('resnet_mini');
    expect(straight.settings).toMatchObject({ learningRate: 0.1, epochs: 2 }); // its own default rate, the epochs given
    expect(straight.history.loss![1]!).toBeLessThan(straight.history.loss![0]!);
    const crashed = join(temp, 'resnet-crashed');
    const crash = {
      onEpochEnd() {
        throw new Error('simulated crash after the epoch-1 checkpoint');
      },
    };
    await expect(trainMnist({ ...tiny, out: crashed, callbacks: [crash] })).rejects.toThrow(/simulated crash/);
    const resumed = await trainMnist({ ...quiet, resume: crashed });
    // the checkpoint held the graph, the weights (BN moving statistics too) and the momentum buffers
    expect(resumed.model.layers.map((l) => l.name)).toEqual(straight.model.layers.map((l) => l.name));
    const a = straight.model.getWeights();
    const b = resumed.model.getWeights();
    expect(b).toHaveLength(a.length);
    a.forEach((w, i) => {
      expect(Array.from(b[i]!.data), `weight ${i}`).toEqual(Array.from(w.data));
    });
    expect(resumed.test).toEqual(straight.test);

    const out = join(temp, 'resnet-straight');
    const p = predictDigit({ model: out, index: 0 });
    const logits = straight.model.predict(p.input);
    const softmax = Array.from(logits.data, Math.exp);
    const total = softmax.reduce((s, v) => s + v, 0);
    p.probabilities.forEach((q, k) => {
      expect(q).toBeCloseTo(softmax[k]! / total, 6);
    });
    const maps = readFileSync(join(out, 'feature-maps.svg'), 'utf8');
    for (const layer of [
      'conv1 (Conv2D): [14, 14, 16]',
      'layer1_0_out (ReLU): [14, 14, 16]',
      'layer3_0_out (ReLU): [4, 4, 64]',
    ]) {
      expect(maps).toContain(`after ${layer}`);
    }
    expect(maps).not.toContain('layer1_0_conv1'); // inside a block: the shortcut jumps over it
    expect(readFileSync(join(out, 'filters.svg'), 'utf8')).toContain('conv1: 16 filters of 3x3');
  }, 120_000);
});

describe('--export', () => {
  it('writes model.onnx and a TF.js Layers model that predict what the trained model predicts', async () => {
    const out = join(temp, 'export');
    const result = await trainMnist({
      ...quiet,
      out,
      limit: 256,
      testLimit: 50,
      validationSize: 100,
      epochs: 1,
      export: ['onnx', 'tfjs'],
    });
    const images = rand([4, 28, 28, 1]);
    const want = result.model.predict(images).data;
    const fromFiles = [fromOnnx(readFileSync(join(out, 'model.onnx'))), loadLayersModel(join(out, 'tfjs'))];
    for (const m of fromFiles) {
      const got = m.predict(images).data;
      expect(got.every((v, i) => Math.abs(v - want[i]!) <= 1e-5 * (1 + Math.abs(want[i]!)))).toBe(true);
    }
  }, 60_000);
});

describe('parseTrainArgs', () => {
  it('reads every flag', () => {
    expect(
      parseTrainArgs([
        '--model',
        'mlp',
        '--epochs',
        '3',
        '--batch-size',
        '32',
        '--optimizer',
        'adam',
        '--lr',
        '0.002',
        '--momentum',
        '0.5',
        '--seed',
        '7',
        '--limit',
        '1000',
        '--test-limit',
        '500',
        '--val-size',
        '100',
        '--augment',
        '--threads',
        '2',
        '--export',
        'onnx,tfjs',
      ]),
    ).toEqual({
      model: 'mlp',
      epochs: 3,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.002,
      momentum: 0.5,
      seed: 7,
      limit: 1000,
      testLimit: 500,
      validationSize: 100,
      augment: true,
      threads: 2,
      export: ['onnx', 'tfjs'],
    });
  });

  it('accepts the largest seed, 2^32 - 1, and the largest --val-size, 59999', () => {
    expect(parseTrainArgs(['--seed', '4294967295', '--val-size', '59999'])).toEqual({
      seed: 4294967295,
      validationSize: 59999,
    });
  });

  it('--augment and --no-augment (resnet-mini augments by default)', () => {
    expect(parseTrainArgs(['--augment'])).toEqual({ augment: true });
    expect(parseTrainArgs(['--model', 'resnet-mini', '--no-augment'])).toEqual({
      model: 'resnet-mini',
      augment: false,
    });
    expect(() => parseTrainArgs(['--augment', '--no-augment'])).toThrow(
      '--augment and --no-augment contradict each other',
    );
  });

  it("drops the '--' that pnpm may pass through, and answers --help", () => {
    expect(parseTrainArgs(['--', '--epochs', '2'])).toEqual({ epochs: 2 });
    expect(parseTrainArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--epochs', '0'], "mnist: --epochs must be a positive integer, but got '0'"],
    [['--epochs', 'ten'], "mnist: --epochs must be a positive integer, but got 'ten'"],
    [['--epochs', '0x2'], "mnist: --epochs must be a positive integer, but got '0x2'"],
    [['--epochs', '2.0'], "mnist: --epochs must be a positive integer, but got '2.0'"],
    [['--seed', '1e3'], "mnist: --seed must be an integer in 0..4294967295, but got '1e3'"],
    [['--seed', '4294967296'], "mnist: --seed must be an integer in 0..4294967295, but got '4294967296'"],
    [['--seed', '1.5'], "mnist: --seed must be an integer in 0..4294967295, but got '1.5'"],
    [['--val-size', '60000'], "mnist: --val-size must be an integer in 1..59999, but got '60000'"],
    [['--lr=-1'], "mnist: --lr must be a positive number, but got '-1'"],
    [['--momentum', '1'], "mnist: --momentum must be a number in [0, 1), but got '1'"],
    [
      ['--model', 'resnet'],
      "mnist: --model must be one of lenet5, vgg-mini, alexnet-mini, mlp, resnet-mini, but got 'resnet'",
    ],
    [['--optimizer', 'rmsprop'], "mnist: --optimizer must be one of sgd, adam, but got 'rmsprop'"],
    [['--export', 'onnx,pt'], "mnist: --export must be one of onnx, tfjs, but got 'pt'"],
    [['--epoch', '3'], "mnist: unknown option '--epoch'; did you mean '--epochs'? Run with --help to see the options."],
    [['--batch_size=8'], "mnist: unknown option '--batch_size'; did you mean '--batch-size'?"],
    [['--verbose'], "mnist: unknown option '--verbose'. Run with --help to see the options."],
    [['--epochs'], /--epochs <value>' argument missing/],
    [['lenet5'], /Unexpected argument 'lenet5'/],
    [
      ['--resume', 'out', '--lr', '0.1'],
      'mnist: --resume continues a run with its saved settings, so it cannot be combined with --lr',
    ],
  ] as const)('%j fails with a clear message', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});
