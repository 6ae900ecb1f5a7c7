/**
 * Training on the wasm backend's threads: the kernels promise the same float32 bits for any thread
 * count (Note [Splitting a GEMM between threads], packages/tensor/src/kernels/wasm/threads.ts), so a
 * seeded fit of LeNet-5 must end with identical weights and losses on one thread and on two. This
 * is the end-to-end form of that promise: forward, both conv gradients, dense layers, pools and
 * the optimizer, over several steps where any difference would grow.
 */
import { lenet5 } from '@sinapse/models';
import { Generator, getBackend, getNumThreads, randInt, randn, seed } from '@sinapse/tensor';
import { useThreads } from '@sinapse/tensor/node';
import { afterAll, describe, expect, it } from 'vitest';
import { fit } from './fit';
import { SGD } from './optimizers/SGD';

/** Trains a fresh seeded LeNet-5 for 2 epochs of 4 batches; returns the losses and every weight. */
async function train(threads: number) {
  expect(await useThreads(threads)).toBe(threads);
  seed(7);
  const g = new Generator(7);
  const x = randn([256, 28, 28, 1], { generator: g });
  const y = randInt([256], 0, 10, { generator: g });
  const model = lenet5();
  const history = await fit(
    model,
    { x, y },
    {
      epochs: 2,
      batchSize: 64,
      seed: 3,
      loss: 'sparseSoftmaxCrossEntropy',
      optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }),
    },
  );
  return { losses: history.history.loss ?? [], weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
}

describe.runIf(getBackend().name === 'wasm')('fit on the wasm backend: 1 thread and 2 threads', () => {
  afterAll(() => useThreads(1));

  it('ends with the same losses and the same weights, bit for bit', async () => {
    const one = await train(1);
    const two = await train(2);
    expect(getNumThreads()).toBe(2);
    expect(two.losses).toEqual(one.losses);
    expect(two.weights).toEqual(one.weights);
    // and the run did train (a test of equality between two broken runs would pass too)
    expect(one.losses[1]!).toBeLessThan(one.losses[0]!);
  });
});
