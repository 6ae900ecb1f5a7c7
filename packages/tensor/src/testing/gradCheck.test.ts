import { describe, expect, it } from 'vitest';
import { record } from '../autograd/record';
import { tensor } from '../ops/creation';
import { sum } from '../ops/sum';
import { Tensor } from '../tensor';
import { gradCheck } from './gradCheck';

const f64 = (values: number[]): Tensor => tensor(values, undefined, { dtype: 'float64' });

/** y = x², elementwise, with a chosen backward rule: the right one (2x·dy) or a wrong one. */
function square(x: Tensor, backward: (x: Tensor, dy: Tensor) => Tensor): Tensor {
  const y = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) y[i] = x.data[i]! * x.data[i]!;
  return record('square', [x], new Tensor(y, x.shape), (dy) => [backward(x, dy)]);
}
const times = (x: Tensor, dy: Tensor, k: number): Tensor => {
  const d = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) d[i] = k * x.data[i]! * dy.data[i]!;
  return new Tensor(d, x.shape);
};

describe('gradCheck', () => {
  it('passes for a correct backward rule: d(x²)/dx = 2x', () => {
    const result = gradCheck((x) => square(x, (x, dy) => times(x, dy, 2)), [f64([1, -2, 0.5])]);
    expect(result.ok).toBe(true);
  });

  it('passes through a chain of real ops (sum over a reduction)', () => {
    expect(
      gradCheck(
        (x) =>
          sum(
            square(x, (x, dy) => times(x, dy, 2)),
            1,
          ),
        [
          tensor(
            [
              [1, 2],
              [3, 4],
            ],
            undefined,
            { dtype: 'float64' },
          ),
        ],
      ).ok,
    ).toBe(true);
  });

  it('catches a wrong rule (x instead of 2x) and says where', () => {
    const wrong = (x: Tensor) => square(x, (x, dy) => times(x, dy, 1));
    expect(() => gradCheck(wrong, [f64([1, -2, 0.5])])).toThrow(
      /gradCheck: Jacobian mismatch for output 0 w.r.t. input 0 at \[\d\]: numerical .*, analytical/,
    );
    const result = gradCheck(wrong, [f64([1, -2, 0.5])], { raise: false });
    expect(result.ok).toBe(false);
    // at element e the numerical gradient is twice the analytical one
    expect(result.worst!.numerical).toBeCloseTo(2 * result.worst!.analytic, 5);
  });

  it('catches a rule that forgets one input of two', () => {
    // y = a·b elementwise, but the rule returns null for b
    const product = (a: Tensor, b: Tensor): Tensor => {
      const y = new Float64Array(a.size);
      for (let i = 0; i < a.size; i++) y[i] = a.data[i]! * b.data[i]!;
      return record('product', [a, b], new Tensor(y, a.shape), (dy) => [times(b, dy, 1), null]);
    };
    const result = gradCheck(product, [f64([1, 2]), f64([3, 4])], { raise: false });
    expect(result.ok).toBe(false);
    expect(result.worst!.input).toBe(1);
    // checking only input 0 passes
    expect(gradCheck(product, [f64([1, 2]), f64([3, 4])], { wrt: [0] }).ok).toBe(true);
  });

  it('leaves the caller’s tensors untouched', () => {
    const x = f64([1, 2]);
    gradCheck((x) => sum(x), [x]);
    expect(x.grad).toBeNull();
    expect(x.requiresGrad).toBe(false);
    expect(Array.from(x.data)).toEqual([1, 2]);
  });

  it('refuses float32 inputs', () => {
    expect(() => gradCheck((x) => sum(x), [tensor([1, 2])])).toThrow(/input 0 must be float64.*but got float32/);
  });
});
