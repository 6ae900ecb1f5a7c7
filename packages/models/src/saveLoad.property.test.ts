/**
 * Property-based tests (fast-check, seeded): random small models, Sequential and functional, built
 * from a random recipe of layers, with random weights (batch-norm statistics included), predict
 * bit-identically after toArtifacts → JSON text → fromArtifacts; and every layer's symbolic output
 * shape (computeOutputShape, what summaries and the functional graph use) is the shape the eager
 * forward pass produces.
 */
import {
  Activation,
  Add,
  AveragePooling2D,
  BatchNormalization,
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  Dense,
  DepthwiseConv2D,
  Dropout,
  ELU,
  Flatten,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  input,
  type Layer,
  LayerNormalization,
  LeakyReLU,
  Maximum,
  MaxPooling2D,
  Multiply,
  ReLU,
  SeparableConv2D,
  type SymbolicTensor,
  UpSampling2D,
  ZeroPadding2D,
} from '@sinapse/layers';
import { Generator, randn, type Tensor, tensor } from '@sinapse/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArtifacts } from './fromArtifacts';
import { type Model, model } from './Model';
import { Sequential } from './Sequential';

type AnyModel = Model<Tensor | Tensor[]> | Sequential;

const RUNS = { seed: 16, numRuns: 100 } as const;

/** One step of a recipe: which layer, and raw numbers its options are drawn from. */
interface Step {
  kind: number;
  a: number;
  b: number;
  c: number;
}
const step = fc.record({ kind: fc.nat(15), a: fc.nat(7), b: fc.nat(7), c: fc.nat(7) });
const ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'gelu', 'swish', 'softplus'] as const;

/**
 * The layer a step makes for an input [h, w, c], or null when it would not fit (a 'valid' window
 * larger than the image, an image grown past 12). Every option comes from the step's numbers.
 */
function spatialLayer(s: Step, [h, w]: readonly number[]): Layer | null {
  const k = 1 + (s.a % 3);
  const filters = 1 + (s.b % 3);
  const stride = 1 + (s.c % 2);
  const padding = s.c % 3 === 0 ? 'valid' : 'same';
  const fits = padding === 'same' || (h! >= k && w! >= k);
  const activation = ACTIVATIONS[s.b % ACTIVATIONS.length];
  switch (s.kind) {
    case 0:
    case 1:
      return fits ? new Conv2D({ filters, kernelSize: k, strides: stride, padding, activation }) : null;
    case 2:
      return fits ? new DepthwiseConv2D({ kernelSize: k, depthMultiplier: 1 + (s.b % 2), padding }) : null;
    case 3:
      return fits ? new SeparableConv2D({ filters, kernelSize: k, padding, activation }) : null;
    case 4:
      return h! * stride <= 12 && w! * stride <= 12
        ? new Conv2DTranspose({ filters, kernelSize: k, strides: stride, padding: 'same' })
        : null;
    case 5:
      return h! >= 2 && w! >= 2 ? new MaxPooling2D({ poolSize: 2, strides: stride, padding }) : null;
    case 6:
      return h! >= 2 && w! >= 2 ? new AveragePooling2D({ poolSize: 2, padding: 'same' }) : null;
    case 7:
      return new BatchNormalization({ momentum: 0.9 });
    case 8:
      return new LayerNormalization();
    case 9:
      return h! <= 10 ? new ZeroPadding2D({ padding: 1 + (s.a % 2) }) : null;
    case 10:
      return h! <= 6 && w! <= 6 ? new UpSampling2D({ size: 2, interpolation: s.a % 2 ? 'bilinear' : 'nearest' }) : null;
    case 11:
      return new LeakyReLU({ negativeSlope: 0.1 * (1 + s.a) });
    case 12:
      return new ELU({ alpha: 0.5 + s.a / 4 });
    case 13:
      return new Dropout({ rate: 0.5 }); // inference: the identity, but it must survive the round trip
    case 14:
      return new ReLU();
    default:
      return new Activation({ activation: activation! });
  }
}

/** A random image model: the recipe's spatial layers, a head (Flatten or a global pool), Dense layers. */
function sequentialFrom(
  image: readonly number[],
  recipe: readonly Step[],
  head: number,
  units: readonly number[],
): Sequential {
  const layers: Layer[] = [];
  let x: SymbolicTensor = input({ shape: [...image] });
  // each layer is applied to a symbolic input only to learn its output shape (nothing is built)
  for (const s of recipe) {
    const layer = spatialLayer(s, x.shape.slice(1) as number[]);
    if (layer === null) continue;
    x = layer.apply(x);
    layers.push(layer);
  }
  layers.push([new Flatten(), new GlobalAveragePooling2D(), new GlobalMaxPooling2D()][head % 3]!);
  for (const [i, u] of units.entries()) {
    layers.push(new Dense({ units: u, activation: i < units.length - 1 ? 'relu' : 'linear' }));
  }
  return new Sequential(
    layers.map((l) => l),
    { name: 'random' },
  );
}

/** Random weights for every weight of `m` (variances positive), so no test passes on initial values. */
function randomizeWeights(m: AnyModel, gen: Generator): void {
  m.setWeights(
    m.weights.map((w) => {
      const values = randn(w.shape as number[], { generator: gen, dtype: w.dtype });
      return /variance/i.test(w.name) ? values.abs().add(0.5) : values;
    }),
  );
}

/** toArtifacts, through JSON text and a copy of the bytes (as a file would), and back. */
function roundTrip(m: AnyModel): AnyModel {
  const a = m.toArtifacts();
  const copy = { modelJson: JSON.parse(JSON.stringify(a.modelJson)), weightData: a.weightData.slice() };
  return fromArtifacts(copy) as AnyModel;
}

function same(a: Tensor | Tensor[], b: Tensor | Tensor[]): void {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(bs.length).toBe(as.length);
  as.forEach((t, i) => {
    expect(bs[i]!.shape).toEqual(t.shape);
    expect(bs[i]!.data).toEqual(t.data); // bit-identical, not close
  });
}

const image = fc.tuple(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 3, max: 8 }), fc.integer({ min: 1, max: 3 }));

describe('save → load → identical predictions, and symbolic shapes = eager shapes (property-based)', () => {
  it('random Sequential models', () => {
    fc.assert(
      fc.property(
        image,
        fc.array(step, { minLength: 1, maxLength: 6 }),
        fc.nat(2),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.nat(1000),
        (img, recipe, head, units, weightSeed) => {
          const m = sequentialFrom(img, recipe, head, units);
          const gen = new Generator(weightSeed);
          const x = randn([2, ...img], { generator: gen });
          randomizeWeights(m, gen);
          const y = m.predict(x);
          const loaded = roundTrip(m);
          same(y, loaded.predict(x));
          expect(loaded.toArtifacts().modelJson).toEqual(m.toArtifacts().modelJson);
          // each layer's computeOutputShape agrees with what its forward pass made
          let shape: (number | null)[] = [null, ...img];
          let t = x;
          for (const layer of m.layers) {
            shape = layer.computeOutputShape(shape) as (number | null)[];
            t = layer.apply(t);
            expect(shape).toEqual([null, ...t.shape.slice(1)]);
          }
        },
      ),
      RUNS,
    );
  });

  it('random functional models: branches, merges (Add, Multiply, Maximum, Concatenate) and two outputs', () => {
    fc.assert(
      fc.property(
        image,
        fc.array(fc.record({ s: step, from: fc.nat(9), merge: fc.nat(4), with: fc.nat(9) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.boolean(),
        fc.nat(1000),
        (img, recipe, twoOutputs, weightSeed) => {
          const x = input({ shape: [...img], name: 'image' });
          const nodes: SymbolicTensor[] = [x];
          for (const r of recipe) {
            const src = nodes[r.from % nodes.length]!;
            // shape-preserving layers only (stride 1, 'same'), so any two nodes can merge
            const layer = spatialLayer({ ...r.s, c: 1 + 3 * (r.s.c % 2) }, src.shape.slice(1) as number[]);
            if (layer === null) continue;
            let y: SymbolicTensor;
            try {
              y = layer.apply(src);
            } catch {
              continue;
            }
            if (y.shape[1] !== img[0] || y.shape[2] !== img[1]) continue; // keep one image size
            const other = nodes[r.with % nodes.length]!;
            if (r.merge === 0 && other.shape[3] === y.shape[3]) y = new Add().apply([y, other]);
            else if (r.merge === 1 && other.shape[3] === y.shape[3]) y = new Multiply().apply([y, other]);
            else if (r.merge === 2 && other.shape[3] === y.shape[3]) y = new Maximum().apply([y, other]);
            else if (r.merge === 3) y = new Concatenate().apply([y, other]);
            nodes.push(y);
          }
          const last = nodes[nodes.length - 1]!;
          const head = new Dense({ name: 'logits', units: 3 }).apply(new GlobalAveragePooling2D().apply(last));
          const outputs = twoOutputs
            ? [
                head,
                new Dense({ name: 'side', units: 2 }).apply(new Flatten().apply(nodes[Math.floor(nodes.length / 2)]!)),
              ]
            : head;
          const m = model({ inputs: x, outputs, name: 'graph' });
          const gen = new Generator(weightSeed);
          randomizeWeights(m, gen);
          const batch = randn([2, ...img], { generator: gen });
          const y = m.predict(batch);
          const loaded = roundTrip(m);
          same(y as Tensor | Tensor[], loaded.predict(batch) as Tensor | Tensor[]);
          // symbolic shapes of the outputs = eager shapes
          const eager = Array.isArray(y) ? y : [y as Tensor];
          m.outputs.forEach((o, i) => {
            expect(o.shape).toEqual([null, ...eager[i]!.shape.slice(1)]);
          });
        },
      ),
      RUNS,
    );
  });

  it('a weight changed after saving is not in the loaded model (the property can fail)', () => {
    const m = sequentialFrom([4, 4, 1], [{ kind: 0, a: 1, b: 1, c: 1 }], 0, [2]);
    randomizeWeights(m, new Generator(1));
    const x = randn([1, 4, 4, 1], { generator: new Generator(2) });
    const saved = m.toArtifacts();
    m.setWeights(m.getWeights().map((w) => w.add(tensor(1e-3))));
    expect(fromArtifacts(saved).predict(x).data).not.toEqual(m.predict(x).data);
  });
});
