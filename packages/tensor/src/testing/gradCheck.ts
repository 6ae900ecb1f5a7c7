/**
 * Numerical gradient checking, as `torch.autograd.gradcheck` does it.
 *
 * For a function y = f(x₁, …, xₙ) we pick a fixed random "upstream" r with y's shape and check the
 * gradient of the scalar L = Σ r ⊙ f(x) in two independent ways:
 *   analytic:  backpropagate r through the graph (`y.backward(r)`), read each xᵢ.grad;
 *   numerical: for every element e of every input, the central difference
 *              (L(x + ε·eₑ) − L(x − ε·eₑ)) / 2ε, whose error is O(ε²).
 * A random r checks all of the Jacobian's rows at once (a wrong row would have to be cancelled
 * by the random weights, which happens with probability 0). Run it in float64: in float32 the
 * rounding error of L (about 1e-7·|L|) divided by 2ε swamps the comparison.
 */
import { noGrad } from '../autograd/gradMode';
import { ValueError } from '../errors';
import { Generator } from '../random';
import { stridesOf } from '../shape';
import { Tensor } from '../tensor';

/** Options of {@link gradCheck}: the step, the tolerances and which inputs to check. */
export interface GradCheckOptions {
  /** Finite-difference step. Default 1e-6. */
  eps?: number;
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance (of the numerical value). Default 1e-3. */
  rtol?: number;
  /** Indices of the inputs to check. Default: all of them. */
  wrt?: readonly number[];
  /** Throw on mismatch (default true); with false, inspect the returned result. */
  raise?: boolean;
  /** Seed for the random upstream gradient r. Default 0. */
  seed?: number;
}

/** What {@link gradCheck} found: whether every element matched, and the worst one. */
export interface GradCheckResult {
  /** True when every element is within `atol + rtol·|numerical|`. */
  ok: boolean;
  /** The worst element over all checked inputs: the largest |analytic − numerical| − tolerance. */
  worst: {
    /** Which input (its index in `inputs`). */
    input: number;
    /** The element's index in that input, e.g. `[0, 2]`. */
    index: number[];
    /** dL/dx from autograd. */
    analytic: number;
    /** dL/dx from central differences, `(L(x + eps) − L(x − eps)) / 2eps`. */
    numerical: number;
  } | null;
}

/**
 * Checks `fn`'s backward rules against central differences; throws (by default) on a mismatch:
 * "gradCheck: Jacobian mismatch for output 0 w.r.t. input 1 at [0, 2]: numerical 0.5, analytical 0.25".
 *
 * @param fn     the function under test, of tensors to one tensor
 * @param inputs float64 tensors; they are copied, never modified
 * @example
 * gradCheck((x) => mul(x, x), [tensor([1, 2, 3], undefined, { dtype: 'float64' })]).ok; // true
 */
export function gradCheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raise = true, seed = 0 } = options;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  inputs.forEach((t, i) => {
    if (t.dtype !== 'float64' && wrt.includes(i)) {
      throw new ValueError(
        `gradCheck: input ${i} must be float64 for reliable central differences, but got ${t.dtype}`,
      );
    }
  });
  // fresh leaves, so the caller's tensors keep no graph and no .grad
  const xs = inputs.map((t, i) => {
    const leaf = new Tensor(t.data.slice(), t.shape);
    leaf.requiresGrad = wrt.includes(i);
    return leaf;
  });

  const y = fn(...xs);
  const g = new Generator(seed);
  const rData = new Float64Array(y.size);
  for (let i = 0; i < rData.length; i++) rData[i] = g.uniform() * 2 - 1;
  const r = new Tensor(rData, y.shape);
  if (!y.requiresGrad) {
    throw new ValueError('gradCheck: the output does not depend on any checked input (it has no graph)');
  }
  y.backward(y.dtype === 'float64' ? r : r.cast(y.dtype));

  // L(x) = Σ r ⊙ f(x), evaluated without a graph
  const loss = (): number =>
    noGrad(() => {
      const out = fn(...xs).data;
      let s = 0;
      for (let i = 0; i < out.length; i++) s += rData[i]! * out[i]!;
      return s;
    });

  let worst: GradCheckResult['worst'] = null;
  let worstExcess = Number.NEGATIVE_INFINITY;
  for (const i of wrt) {
    const x = xs[i]!;
    const analytic = x.grad?.data;
    for (let e = 0; e < x.size; e++) {
      const saved = x.data[e]!;
      x.data[e] = saved + eps;
      const plus = loss();
      x.data[e] = saved - eps;
      const minus = loss();
      x.data[e] = saved;
      const numerical = (plus - minus) / (2 * eps);
      const a = analytic === undefined ? 0 : analytic[e]!;
      const excess = Math.abs(a - numerical) - (atol + rtol * Math.abs(numerical));
      if (excess > worstExcess || Number.isNaN(excess)) {
        worstExcess = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
        worst = { input: i, index: unravel(e, x.shape), analytic: a, numerical };
      }
    }
  }
  const ok = worstExcess <= 0;
  if (!ok && raise && worst !== null) {
    // a failed check, not a wrong argument (those are ValueErrors above): a plain Error, as a test
    // assertion would throw
    throw new Error(
      `gradCheck: Jacobian mismatch for output 0 w.r.t. input ${worst.input} at [${worst.index.join(', ')}]: ` +
        `numerical ${worst.numerical}, analytical ${worst.analytic} (eps=${eps}, atol=${atol}, rtol=${rtol})`,
    );
  }
  return { ok, worst };
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  return strides.map((s, a) => Math.floor(flat / s) % shape[a]!);
}
