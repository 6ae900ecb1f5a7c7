import { describe, expect, it } from 'vitest';
import * as sinapse from './index';
import * as ops from './ops/index';
import { Tensor } from './tensor';

/**
 * Every op a user can call is a function of the package (`add(x, y)`) and, when its first argument
 * is a tensor, a method of Tensor with the same name that forwards to it (`x.add(y)`; see
 * tensor.ts). Adding an op without its twin, or a twin that calls the wrong op, fails here.
 */

// The ops that do not take a tensor first, so have no method: they make a tensor from a shape or
// from values.
const NOT_TENSOR_FIRST = ['tensor', 'zeros', 'ones', 'full', 'arange', 'eye', 'rand', 'randn', 'randInt'];

// The ops that take a list of tensors first: their twin puts `this` at the head of the list,
// `x.concat([y, z], axis)` = concat([x, y, z], axis).
const LIST_FIRST = ['concat', 'stack'];

type Op = (...args: unknown[]) => Tensor;
const opFunctions = new Map(Object.entries(ops).filter(([, value]) => typeof value === 'function') as [string, Op][]);
const opNames = [...opFunctions.keys()];

// Small inputs of mixed signs, so that two different ops (relu and abs, max and min, sum and
// mean) give different results and a twin that called the wrong one would be caught.
const x23 = () => new Tensor(Float64Array.from([-1.5, 0.5, 2, 3, -0.25, 1]), [2, 3]);
const positive23 = () => new Tensor(Float64Array.from([1.5, 0.5, 2, 3, 0.25, 1]), [2, 3]);
const image = () =>
  new Tensor(
    Float64Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) - 5),
    [1, 4, 4, 2],
  );
const kernel = () =>
  new Tensor(
    Float64Array.from({ length: 24 }, (_, i) => ((i * 5) % 7) - 3),
    [2, 2, 2, 3],
  );

/** What each twin is called on and with; an op not listed is called on x23() with no arguments. */
const calls: Record<string, { self?: () => Tensor; args?: () => unknown[] }> = {
  cast: { args: () => ['float32'] },
  reshape: { args: () => [[3, 2]] },
  flatten: { self: image, args: () => [1] },
  squeeze: { self: () => x23().reshape([2, 1, 3]) },
  expandDims: { args: () => [1] },
  transpose: { args: () => [[1, 0]] },
  permute: { args: () => [[1, 0]] },
  slice: {
    args: () => [
      [0, 1],
      [2, 2],
    ],
  },
  gather: { args: () => [[2, 0], 1] },
  concat: { args: () => [[positive23()], 1] },
  stack: { args: () => [[positive23()], 0] },
  pad: {
    args: () => [
      [
        [1, 0],
        [0, 2],
      ],
      7,
    ],
  },
  add: { args: () => [positive23()] },
  sub: { args: () => [positive23()] },
  mul: { args: () => [positive23()] },
  div: { args: () => [positive23()] },
  pow: { self: positive23, args: () => [x23()] },
  maximum: { args: () => [positive23().neg()] },
  minimum: { args: () => [positive23().neg()] },
  log: { self: positive23 },
  sqrt: { self: positive23 },
  clip: { args: () => [-1, 1] },
  where: { args: () => [positive23(), 10] },
  leakyRelu: { args: () => [0.1] },
  softmax: { args: () => [0] },
  logSoftmax: { args: () => [0] },
  sum: { args: () => [1, true] },
  mean: { args: () => [0] },
  max: { args: () => [1] },
  min: { args: () => [1] },
  argmax: { args: () => [0] },
  variance: { args: () => [1] },
  matMul: { args: () => [positive23(), false, true] },
  fusedMatMul: { args: () => [positive23(), { transposeB: true, activation: 'relu' }] },
  conv2d: { self: image, args: () => [kernel(), { padding: 'same' }] },
  conv2dTranspose: { self: image, args: () => [kernel().reshape([2, 2, 3, 2]), { strides: 2 }] },
  resizeBilinear: { self: image, args: () => [[7, 5]] },
  depthwiseConv2d: { self: image, args: () => [kernel().reshape([2, 2, 2, 3]), { padding: 'same' }] },
  separableConv2d: { self: image, args: () => [kernel(), kernel().reshape([1, 1, 6, 4])] },
  fusedConv2d: { self: image, args: () => [kernel(), { strides: 2, activation: 'relu' }] },
  maxPool2d: { self: image },
  avgPool2d: { self: image, args: () => [{ poolSize: 3, strides: 1 }] },
  l2Pool2d: { self: image },
  globalMaxPool2d: { self: image, args: () => [{ keepDims: true }] },
  globalAvgPool2d: { self: image },
};

describe('method twins', () => {
  it('every op of ops/index is exported by the package as it is', () => {
    expect(opNames.length).toBeGreaterThan(40);
    const exported = new Map<string, unknown>(Object.entries(sinapse));
    for (const [name, fn] of opFunctions) expect(exported.get(name), name).toBe(fn);
  });

  it('the lists above name real ops, and the ops that take no tensor first have no method', () => {
    for (const name of [...NOT_TENSOR_FIRST, ...LIST_FIRST, ...Object.keys(calls)]) expect(opNames).toContain(name);
    for (const name of NOT_TENSOR_FIRST) expect(name in Tensor.prototype, name).toBe(false);
  });

  const twinned = opNames.filter((name) => !NOT_TENSOR_FIRST.includes(name));
  it.each(twinned)('x.%s(...) forwards to the function of the same name', (name) => {
    const method = (Tensor.prototype as unknown as Record<string, unknown>)[name];
    expect(typeof method, `Tensor has no method ${name}: add its twin to tensor.ts`).toBe('function');
    const { self = x23, args = () => [] } = calls[name] ?? {};
    const fn = opFunctions.get(name)!;
    const x = self();
    const viaMethod = (method as Op).apply(x, args());
    const [first, ...rest] = args();
    const viaFunction = LIST_FIRST.includes(name) ? fn([x, ...(first as Tensor[])], ...rest) : fn(x, ...args());
    expect(viaMethod.shape).toEqual(viaFunction.shape);
    expect(viaMethod.dtype).toBe(viaFunction.dtype);
    expect(viaMethod.toArray()).toEqual(viaFunction.toArray());
  });
});
