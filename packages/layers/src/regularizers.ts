/**
 * Weight penalties added to the loss: l2 pulls weights towards 0 in proportion to their size
 * (weight decay), l1 by a constant amount (which drives some exactly to 0). The training loop adds
 * `Σ regularizer(w)` over a model's parameters to the data loss.
 */
import { abs, ConfigError, mul, square, sum, type Tensor } from '@sinapse/tensor';

/** A weight penalty: `apply(w)` is the scalar the training loop adds to the loss for weight `w`. */
export interface Regularizer {
  /** Keras's class name, 'L1' or 'L2', for saving. */
  readonly className: string;
  /** The penalty for one weight tensor, a scalar. */
  apply(weight: Tensor): Tensor;
  /** Its factor as plain JSON (`{ l2: 0.01 }`), for saving. */
  getConfig(): Record<string, number>;
}

/** penalty = l2 · Σ w² */
export function l2(factor = 0.01): Regularizer {
  checkFactor('l2', factor);
  return { className: 'L2', apply: (w) => mul(sum(square(w)), factor), getConfig: () => ({ l2: factor }) };
}

/** penalty = l1 · Σ |w| */
export function l1(factor = 0.01): Regularizer {
  checkFactor('l1', factor);
  return { className: 'L1', apply: (w) => mul(sum(abs(w)), factor), getConfig: () => ({ l1: factor }) };
}

/**
 * A regularizer back from its saved form, `{ className: 'L2', config: { l2: 0.01 } }`.
 *
 * @throws ConfigError for a class other than L1 and L2.
 */
export function deserializeRegularizer(s: { className: string; config: Record<string, number> }): Regularizer {
  if (s.className === 'L2') return l2(s.config.l2);
  if (s.className === 'L1') return l1(s.config.l1);
  throw new ConfigError(`unknown regularizer class '${s.className}'; known: L1, L2`);
}

function checkFactor(name: string, factor: number): void {
  if (!(factor >= 0) || !Number.isFinite(factor)) {
    throw new ConfigError(`${name}: factor must be a non-negative number, but got ${factor}`);
  }
}

/** A regularizer as a layer's config stores it. */
export interface SerializedRegularizer {
  /** 'L1' or 'L2'. */
  className: string;
  /** Its factor, `{ l1: ... }` or `{ l2: ... }`. */
  config: Record<string, number>;
}

/** `{ className: 'L2', config: { l2: 0.01 } }`, the form getConfig stores. */
export function serializeRegularizer(r: Regularizer): SerializedRegularizer {
  return { className: r.className, config: r.getConfig() };
}

/** Resolves a layer option: a regularizer, its serialized form (from getConfig), or nothing (null). */
export function getRegularizer(id: Regularizer | SerializedRegularizer | null | undefined): Regularizer | null {
  if (id === undefined || id === null) return null;
  if ('apply' in id) return id;
  return deserializeRegularizer(id);
}
