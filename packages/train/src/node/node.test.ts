import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Add, Dense, input } from '@sinapse/layers';
import { model, Sequential } from '@sinapse/models';
import { loadModel } from '@sinapse/models/node';
import { randn, seed } from '@sinapse/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { fit } from '../fit';
import { Adam } from '../optimizers/Adam';
import { modelCheckpoint } from './modelCheckpoint';
import { progressBar } from './progressBar';

const scratch = mkdtempSync(join(tmpdir(), 'sinapse-train-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

function tinyModel(): Sequential {
  return new Sequential([
    new Dense({ name: 'fc1', units: 3, inputShape: [2], activation: 'tanh' }),
    new Dense({ name: 'fc2', units: 1 }),
  ]);
}

describe('progressBar', () => {
  const data = { x: randn([8, 2]), y: randn([8, 1]) };

  it('not a TTY: one plain line per epoch with the logs, examples/s and time', async () => {
    const out = fakeStream(false);
    await fit(tinyModel(), data, {
      epochs: 2,
      batchSize: 4,
      loss: 'meanSquaredError',
      metrics: [],
      callbacks: [progressBar({ stream: out.stream })],
    });
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Epoch 2\/2: loss \d+\.\d{4} · \d+ ex\/s · \d+\.\ds$/);
  });

  it('a misspelled option is refused with a did-you-mean, as is one of modelCheckpoint', () => {
    expect(() => progressBar({ witdh: 40 } as never)).toThrow(
      "progressBar: unknown option 'witdh'; did you mean 'width'?",
    );
    expect(() => modelCheckpoint({ dir: scratch, save_optimizer: false } as never)).toThrow(
      "modelCheckpoint: unknown option 'save_optimizer'; did you mean 'saveOptimizer'?",
    );
  });

  it('TTY: redraws a bar with batch x/y and ETA in place, ends the epoch with a newline', async () => {
    const out = fakeStream(true);
    await fit(tinyModel(), data, {
      epochs: 1,
      batchSize: 4,
      loss: 'meanSquaredError',
      callbacks: [progressBar({ stream: out.stream, width: 10 })],
    });
    const text = out.text();
    expect(text.startsWith('Epoch 1/1\n')).toBe(true);
    expect(text).toMatch(/\r1\/2 \[=====>\.\.\.\.\] loss \d+\.\d{4} · accuracy \d\.\d{4} · \d+ ex\/s · ETA /);
    expect(text).toMatch(/\r2\/2 \[==========\] loss .* ex\/s · \d+\.\ds/);
    expect(text.endsWith('\x1b[K\n')).toBe(true); // clear to the end of the line, then a newline
  });
});

describe('modelCheckpoint', () => {
  it('saves each epoch with the optimizer; loading and resuming matches an uninterrupted run bit for bit', async () => {
    const x = randn([16, 2]);
    const y = randn([16, 1]);
    const options = { batchSize: 4, loss: 'meanSquaredError', metrics: [], seed: 3 } as const;

    seed(8);
    const straight = tinyModel();
    await fit(straight, { x, y }, { ...options, epochs: 4, optimizer: new Adam({ learningRate: 0.01 }) });

    seed(8);
    const first = tinyModel();
    const dir = join(scratch, 'run-{epoch}');
    await fit(
      first,
      { x, y },
      {
        ...options,
        epochs: 2,
        optimizer: new Adam({ learningRate: 0.01 }),
        callbacks: [modelCheckpoint({ dir })],
      },
    );
    const loaded = loadModel(join(scratch, 'run-2'));
    const optimizer = new Adam({ learningRate: 0.01 });
    optimizer.setState(loaded.optimizerState!, loaded.trainableWeights);
    expect(optimizer.iterations).toBe(8);
    await fit(loaded, { x, y }, { ...options, epochs: 4, initialEpoch: 2, optimizer });

    expect(loaded.weights.map((p) => Array.from(p.data))).toEqual(straight.weights.map((p) => Array.from(p.data)));
    expect(loadModel(join(scratch, 'run-1')).optimizerState?.config.iterations).toBe(4);
  });

  it('checkpoints a functional model (a residual Dense block) that loads back with the same predictions', async () => {
    const x = input({ shape: [2] });
    const h = new Dense({ name: 'h', units: 2, activation: 'tanh' }).apply(x);
    const net = model({ inputs: x, outputs: new Dense({ name: 'out', units: 1 }).apply(new Add().apply([x, h])) });
    const data = { x: randn([8, 2]), y: randn([8, 1]) };
    const dir = join(scratch, 'functional');
    await fit(net, data, { loss: 'mse', metrics: [], callbacks: [modelCheckpoint({ dir })] });
    const loaded = loadModel(dir);
    expect(Array.from(loaded.predict(data.x).data)).toEqual(Array.from(net.predict(data.x).data));
  });

  it('saveBestOnly with a monitor missing from the logs throws', async () => {
    await expect(
      fit(
        tinyModel(),
        { x: randn([4, 2]), y: randn([4, 1]) },
        {
          loss: 'meanSquaredError',
          metrics: [],
          callbacks: [modelCheckpoint({ dir: join(scratch, 'best'), saveBestOnly: true })],
        },
      ),
    ).rejects.toThrow("modelCheckpoint: monitor 'val_loss' is not in the epoch logs (loss)");
  });
});
