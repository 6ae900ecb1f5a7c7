/**
 * Note [OpInfos]
 * One table describes how to test every op (after PyTorch's OpInfo). Each entry lists sample
 * inputs, error inputs with the message they must produce, and optionally a naive reference.
 * Generic tests (opInfo.test.ts) loop over the table and, for every sample: run the op, compare
 * with the reference, and gradient-check it in float64; for every error input, match the message.
 * A newly found edge case becomes a sample here, not a one-off test.
 */
import type { Tensor } from '../tensor';

export interface Sample {
  /** Test title stating the case, e.g. 'x=[1,4,4,1] pool=2 strides=2 valid'. */
  title: string;
  /** Float64 inputs. */
  inputs: Tensor[];
  /** Runs the op on the inputs (options are captured in the closure). */
  run: (...inputs: Tensor[]) => Tensor;
  /** Expected output, from a naive loop or a hand-worked value: shape and flat values. */
  expected?: { shape: readonly number[]; values: ArrayLike<number> };
  /** Inputs not to gradient-check (e.g. integer indices). */
  noGrad?: readonly number[];
  /** Tolerances for this sample's gradient check when the defaults are too strict. */
  gradTolerance?: { atol?: number; rtol?: number };
}

export interface ErrorSample {
  title: string;
  /** Calls the op with bad input; must throw. */
  run: () => unknown;
  /** Error class name ('ShapeError', 'ValueError') and a regex the message must match. */
  error: 'ShapeError' | 'ValueError';
  message: RegExp;
}

export interface OpInfo {
  name: string;
  /** Whether the op has a backward rule (gradient-checked on every sample). */
  supportsGrad: boolean;
  sampleInputs: () => Sample[];
  errorInputs: () => ErrorSample[];
}
