/**
 * Backpropagation through a whole network, checked against the definition of the derivative.
 *
 * A tiny LeNet-like model in float64 (conv → relu → max pool → conv → relu → flatten → dense →
 * sparse softmax cross-entropy): for the input and for every weight, each element is nudged by ±ε
 * and the change of the loss, (L(w + ε) − L(w − ε)) / 2ε, must equal the gradient that
 * `loss.backward()` left in `.grad`. This tests the ops, the layers and the loss together, the way
 * training uses them.
 */
import { Conv2D, Dense, Flatten, MaxPooling2D } from '@sinapse/layers';
import { Sequential } from '@sinapse/models';
import { Generator, noGrad, randn, type Tensor } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { sparseSoftmaxCrossEntropy } from './losses/sparseSoftmaxCrossEntropy';

function tinyLeNet(g: Generator): Sequential {
  const dtype = 'float64' as const;
  const model = new Sequential([
    new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 1], dtype }),
    new MaxPooling2D({ poolSize: 2, dtype }),
    new Conv2D({ filters: 4, kernelSize: 2, activation: 'relu', dtype }),
    new Flatten({ dtype }),
    new Dense({ units: 3, dtype }),
  ]);
  // small random weights and biases, so that no relu input or pooling tie sits near a kink
  for (const w of model.weights) w.assign(randn(w.shape, { generator: g, dtype, std: 0.5 }).data);
  return model;
}

describe('whole-model gradient check (float64, central differences)', () => {
  it('tiny LeNet + sparse softmax cross-entropy: d loss / d input and d loss / d every weight', () => {
    const g = new Generator(2026);
    const model = tinyLeNet(g);
    const x = randn([2, 6, 6, 1], { generator: g, dtype: 'float64', requiresGrad: true });
    const labels = [0, 2];
    const loss = (): Tensor => sparseSoftmaxCrossEntropy(model.apply(x), labels);

    loss().backward();
    const eps = 1e-6;
    const targets: Array<[string, Tensor]> = [
      ['input', x],
      ...model.trainableWeights.map((w) => [w.name, w] as [string, Tensor]),
    ];
    expect(targets.length).toBe(7); // input + 3 layers with kernel and bias
    let checked = 0;
    for (const [name, t] of targets) {
      for (let e = 0; e < t.size; e++) {
        const saved = t.data[e]!;
        t.data[e] = saved + eps;
        const plus = noGrad(() => loss().item());
        t.data[e] = saved - eps;
        const minus = noGrad(() => loss().item());
        t.data[e] = saved;
        const numerical = (plus - minus) / (2 * eps);
        const analytic = t.grad!.data[e]!;
        if (Math.abs(analytic - numerical) > 1e-6 + 1e-4 * Math.abs(numerical)) {
          throw new Error(`${name}[${e}]: backprop ${analytic}, central difference ${numerical}`);
        }
        checked++;
      }
    }
    // inputs 2·6·6·1 = 72; conv1 3·3·1·3 + 3 = 30; conv2 (on 3x3 after the pool) 2·2·3·4 + 4 = 52; dense 16·3 + 3 = 51
    expect(checked).toBe(72 + 30 + 52 + 51);
  });
});
