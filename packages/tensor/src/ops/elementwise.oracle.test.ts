/**
 * The elementwise ops against an independent implementation: TensorFlow.js's CPU backend (a
 * devDependency, never a runtime one), forward and gradient (`tf.grads`), on random shapes with
 * broadcasting. Both sides get the same float32-representable inputs and upstream gradient;
 * Sinapse runs in float64 and TF.js in float32, so they agree to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator } from '../random';
import type { Shape } from '../shape';
import { Tensor } from '../tensor';
import { abs } from './abs';
import { add } from './add';
import { clip } from './clip';
import { div } from './div';
import { exp } from './exp';
import { gelu } from './gelu';
import { leakyRelu } from './leakyRelu';
import { log } from './log';
import { logSoftmax } from './logSoftmax';
import { maximum } from './maximum';
import { minimum } from './minimum';
import { mul } from './mul';
import { neg } from './neg';
import { pow } from './pow';
import { relu } from './relu';
import { sigmoid } from './sigmoid';
import { softmax } from './softmax';
import { softplus } from './softplus';
import { sqrt } from './sqrt';
import { square } from './square';
import { sub } from './sub';
import { tanh } from './tanh';
import { where } from './where';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** How to draw an op's input values so both frameworks stay in the op's smooth domain. */
type Draw = (g: Generator) => number;
const anyValue: Draw = (g) => g.uniform() * 4 - 2;
const positive: Draw = (g) => 0.5 + g.uniform() * 1.5;
const awayFromZero: Draw = (g) => (g.uniform() < 0.5 ? -1 : 1) * (0.25 + g.uniform() * 1.75);

/** A float64 leaf holding float32-representable values. */
function leaf(shape: Shape, g: Generator, draw: Draw): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(draw(g));
  return new Tensor(data, shape).requireGrad();
}

const toTf = (t: Tensor): tf.Tensor => tf.tensor(Array.from(t.data), [...t.shape]);

function expectAllClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-5 + 1e-4 * Math.abs(want[i]!);
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= tol)) expect.fail(`${what}[${i}]: sinapse ${got[i]}, tf.js ${want[i]} (|diff| ${err} > ${tol})`);
  }
}

/**
 * Two random shapes that broadcast: a random output shape of rank 0–4 (dims 1–4), then for each
 * operand independently drop some leading axes and set some of the others to 1.
 */
function broadcastPair(g: Generator): [number[], number[]] {
  const rank = g.uniform() < 0.1 ? 0 : g.int(1, 5);
  const out = Array.from({ length: rank }, () => g.int(2, 6));
  const operand = (): number[] => {
    const keep = g.uniform() < 0.5 ? rank : g.int(0, rank + 1);
    return out.slice(rank - keep).map((d) => (g.uniform() < 0.3 ? 1 : d));
  };
  return [operand(), operand()];
}

/**
 * TF.js 4.22's Maximum and Minimum gradients return the broadcast shape instead of summing back
 * to each input's shape ("The gradient of input 'a' has shape '3', which does not match the shape
 * of the input '1'"), so for them the oracle broadcasts the inputs first with tf.broadcastTo, whose
 * own gradient does the summing.
 */
function explicitBroadcast(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  return (a, b) => {
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return fn(tf.broadcastTo(a, shape), tf.broadcastTo(b, shape));
  };
}

type BinaryCase = {
  name: string;
  ours: (a: Tensor, b: Tensor) => Tensor;
  theirs: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  drawA: Draw;
  drawB: Draw;
};

const binaryCases: BinaryCase[] = [
  { name: 'add', ours: add, theirs: tf.add, drawA: anyValue, drawB: anyValue },
  { name: 'sub', ours: sub, theirs: tf.sub, drawA: anyValue, drawB: anyValue },
  { name: 'mul', ours: mul, theirs: tf.mul, drawA: anyValue, drawB: anyValue },
  { name: 'div', ours: div, theirs: tf.div, drawA: anyValue, drawB: awayFromZero },
  { name: 'pow', ours: pow, theirs: tf.pow, drawA: positive, drawB: anyValue },
  { name: 'maximum', ours: maximum, theirs: explicitBroadcast(tf.maximum), drawA: anyValue, drawB: anyValue },
  { name: 'minimum', ours: minimum, theirs: explicitBroadcast(tf.minimum), drawA: anyValue, drawB: anyValue },
];

/** Runs both frameworks on the same inputs and upstream gradient; compares output and every input's gradient. */
function compare(
  ours: (...xs: Tensor[]) => Tensor,
  theirs: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: Tensor[],
  g: Generator,
  title: string,
): void {
  const y = ours(...inputs);
  const dy = leaf(y.shape, g, anyValue).detach();
  y.backward(dy);
  tf.tidy(() => {
    const tfInputs = inputs.map(toTf);
    const want = theirs(...tfInputs);
    expect(y.shape, `${title} shape`).toEqual(want.shape);
    expectAllClose(y.data, want.dataSync(), `${title} forward`);
    const grads = tf.grads((...xs: tf.Tensor[]) => theirs(...xs))(tfInputs, toTf(dy));
    inputs.forEach((x, i) => {
      expect(x.grad, `${title} d/dinput${i}`).not.toBeNull();
      expectAllClose(x.grad!.data, grads[i]!.dataSync(), `${title} d/dinput${i}`);
    });
  });
}

describe.each(binaryCases.map((c) => [c.name, c] as const))('%s vs tf.js', (_name, c) => {
  const g = new Generator(1234);
  const pairs = Array.from({ length: 20 }, () => broadcastPair(g));
  it.each(pairs.map(([sa, sb]) => [`a=[${sa}] b=[${sb}]`, sa, sb] as const))('%s', (title, sa, sb) => {
    const rng = new Generator(title.length);
    compare(c.ours, c.theirs, [leaf(sa, rng, c.drawA), leaf(sb, rng, c.drawB)], rng, title);
  });
});

type UnaryCase = {
  name: string;
  ours: (x: Tensor) => Tensor;
  theirs: (x: tf.Tensor) => tf.Tensor;
  draw: Draw;
};

const unaryCases: UnaryCase[] = [
  { name: 'neg', ours: neg, theirs: tf.neg, draw: anyValue },
  { name: 'exp', ours: exp, theirs: tf.exp, draw: anyValue },
  { name: 'log', ours: log, theirs: tf.log, draw: positive },
  { name: 'sqrt', ours: sqrt, theirs: tf.sqrt, draw: positive },
  { name: 'square', ours: square, theirs: tf.square, draw: anyValue },
  { name: 'abs', ours: abs, theirs: tf.abs, draw: awayFromZero },
  { name: 'relu', ours: relu, theirs: tf.relu, draw: awayFromZero },
  { name: 'leakyRelu', ours: (x) => leakyRelu(x), theirs: (x) => tf.leakyRelu(x), draw: awayFromZero },
  { name: 'sigmoid', ours: sigmoid, theirs: tf.sigmoid, draw: anyValue },
  { name: 'tanh', ours: tanh, theirs: tf.tanh, draw: anyValue },
  { name: 'softplus', ours: softplus, theirs: tf.softplus, draw: (g) => g.uniform() * 20 - 10 },
  // TF.js has no gelu op: its 'gelu' activation is x·(1 + erf(x/√2))/2, 'gelu_new' the tanh form
  {
    name: 'gelu',
    ours: (x) => gelu(x),
    theirs: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
    draw: (g) => g.uniform() * 8 - 4,
  },
  {
    name: 'gelu approximate',
    ours: (x) => gelu(x, true),
    theirs: (x) =>
      tf.mul(
        tf.mul(x, 0.5),
        tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))),
      ),
    draw: (g) => g.uniform() * 8 - 4,
  },
  { name: 'clip', ours: (x) => clip(x, -1, 0.5), theirs: (x) => tf.clipByValue(x, -1, 0.5), draw: anyValue },
];

describe.each(unaryCases.map((c) => [c.name, c] as const))('%s vs tf.js', (_name, c) => {
  it.each([[[7]], [[2, 3]], [[2, 3, 3, 2]]] as const)('x=%j', (shape) => {
    const g = new Generator(shape.length);
    compare(c.ours, c.theirs, [leaf(shape, g, c.draw)], g, c.name);
  });
});

describe('where vs tf.js', () => {
  const shapes: Array<[Shape, Shape, Shape]> = [
    [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    [
      [3, 1],
      [1, 4],
      [3, 4],
    ],
    [[4], [2, 3, 4], [3, 4]],
  ];
  it.each(shapes.map((s) => [`condition=[${s[0]}] a=[${s[1]}] b=[${s[2]}]`, ...s] as const))(
    '%s',
    (title, sc, sa, sb) => {
      const g = new Generator(7);
      const cond = leaf(sc, g, (r) => (r.uniform() < 0.5 ? 0 : 1)).detach();
      compare(
        (a, b) => where(cond, a!, b!),
        (a, b) => tf.where(tf.cast(toTf(cond), 'bool'), a!, b!),
        [leaf(sa, g, anyValue), leaf(sb, g, anyValue)],
        g,
        title,
      );
    },
  );
});

/**
 * tf.softmax works on the last axis only, so another axis is moved last with a transpose (which
 * is its own inverse when it swaps two axes) and moved back.
 */
function tfAlongAxis(fn: (x: tf.Tensor) => tf.Tensor, axis: number): (x: tf.Tensor) => tf.Tensor {
  return (x) => {
    const last = x.rank - 1;
    const a = axis < 0 ? axis + x.rank : axis;
    if (a === last) return fn(x);
    const perm = Array.from({ length: x.rank }, (_, i) => (i === a ? last : i === last ? a : i));
    return tf.transpose(fn(tf.transpose(x, perm)), perm);
  };
}

describe.each([
  ['softmax', softmax, tf.softmax],
  ['logSoftmax', logSoftmax, tf.logSoftmax],
] as const)('%s vs tf.js', (_name, ours, theirs) => {
  const g = new Generator(99);
  const cases = Array.from({ length: 20 }, () => {
    const rank = g.int(1, 5);
    const shape = Array.from({ length: rank }, () => g.int(1, 6));
    const axis = g.uniform() < 0.5 ? -1 : g.int(0, rank);
    return [`x=[${shape}] axis=${axis}`, shape, axis] as const;
  });
  it.each(cases)('%s', (title, shape, axis) => {
    const rng = new Generator(shape.length * 7 + axis);
    // logits spread over [-8, 8] so some rows are far from uniform
    const x = leaf(shape, rng, (r) => r.uniform() * 16 - 8);
    compare(
      (t) => ours(t, axis),
      tfAlongAxis((t) => theirs(t), axis),
      [x],
      rng,
      title,
    );
  });

  it('x=[2,3] with logits ±1000: finite and equal to tf.js', () => {
    const x = new Tensor(new Float64Array([1000, -1000, 0, -1000, 1000, 999]), [2, 3]).requireGrad();
    compare(
      (t) => ours(t),
      (t) => theirs(t),
      [x],
      new Generator(5),
      'large logits',
    );
  });
});
