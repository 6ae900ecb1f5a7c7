/**
 * Gradient check of a layer with respect to its input AND each of its weights, in float64.
 *
 * Same method as `gradCheck` in @sinapse/tensor (central differences against backpropagation of a
 * random upstream r through L = Σ r ⊙ layer(x)), but the weights are leaves inside the layer, so we
 * perturb their storage in place (and restore it) instead of passing them as arguments.
 * A layer that takes a list (Add, Concatenate) gets a list of input shapes and is checked with
 * respect to each input ('input 0', 'input 1', ...).
 */
import { ConfigError, Generator, noGrad, type Tensor, tensor } from '@sinapse/tensor';
import type { Layer } from '../Layer';
import { isShapeList, randomInput } from './layerTest';

export interface GradCheckLayerOptions {
  training?: boolean;
  eps?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
}

/** Returns the list of mismatches (empty when every gradient agrees). */
export function gradCheckLayer(
  layer: Layer,
  inputShape: readonly number[] | readonly (readonly number[])[],
  options: GradCheckLayerOptions = {},
): string[] {
  const { training = true, eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 7 } = options;
  if (layer.dtype !== 'float64') {
    throw new ConfigError(`gradCheckLayer: build the layer with dtype 'float64', but got '${layer.dtype}'`);
  }
  const isList = isShapeList(inputShape);
  const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
  const xs = shapes.map((s, i) => randomInput(s, seed + 1000 * i, 'float64'));
  for (const x of xs) x.requiresGrad = true;
  // Layers with randomness (Dropout) must draw the same mask in every evaluation: reseed before each.
  const run = (): Tensor => {
    layer.generator = new Generator(seed);
    return layer.apply(isList ? xs : xs[0]!, { training });
  };
  const y = run();
  const g = new Generator(seed + 1);
  const r = new Float64Array(y.size).map(() => g.uniform() * 2 - 1);
  for (const w of layer.weights) w.zeroGrad();
  y.backward(tensor(r, y.shape, { dtype: 'float64' }));

  const loss = (): number =>
    noGrad(() => {
      const out = run().data;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += r[i]! * out[i]!;
      return s;
    });

  const problems: string[] = [];
  const targets: Array<[string, Tensor]> = [
    ...xs.map((x, i) => [isList ? `input ${i}` : 'input', x] as [string, Tensor]),
    ...layer.trainableWeights.map((w) => [w.name, w] as [string, Tensor]),
  ];
  for (const [name, t] of targets) {
    const analytic = t.grad?.data;
    for (let e = 0; e < t.size; e++) {
      const saved = t.data[e]!;
      t.data[e] = saved + eps;
      const plus = loss();
      t.data[e] = saved - eps;
      const minus = loss();
      t.data[e] = saved;
      const numerical = (plus - minus) / (2 * eps);
      const a = analytic?.[e] ?? 0;
      if (!(Math.abs(a - numerical) <= atol + rtol * Math.abs(numerical))) {
        problems.push(`${name}[${e}]: analytic ${a}, numerical ${numerical}`);
        if (problems.length > 5) return problems;
      }
    }
  }
  return problems;
}
