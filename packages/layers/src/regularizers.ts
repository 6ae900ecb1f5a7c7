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
 * `{ className: 'L2', config: { l2: 0.01 } }` → the regularizer. The form usually comes from a
 * model.json, so every field is checked.
 * @param who how messages start ("Dense 'fc1': kernelRegularizer"). Default 'deserializeRegularizer'.
 * @throws ConfigError for an unknown class or a config that is not one.
 */
export function deserializeRegularizer(
  s: { className: string; config: Record<string, number> },
  who = 'deserializeRegularizer',
): Regularizer {
  const { className, config = {} } = (s ?? {}) as { className?: unknown; config?: unknown };
  if (className !== 'L1' && className !== 'L2') {
    throw new ConfigError(`${who}: unknown regularizer class ${JSON.stringify(className) ?? 'none'}; known: L1, L2`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(
      `${who}: the config of regularizer ${className} must be an object, but got ${JSON.stringify(config)}`,
    );
  }
  const key = className === 'L2' ? 'l2' : 'l1';
  const factor = (config as Record<string, unknown>)[key];
  if (factor !== undefined && (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0)) {
    throw new ConfigError(
      `${who}: ${className}'s ${key} must be a finite non-negative number, but got ${JSON.stringify(factor)}`,
    );
  }
  return className === 'L2' ? l2(factor as number | undefined) : l1(factor as number | undefined);
}

function checkFactor(name: string, factor: number): void {
  if (typeof factor !== 'number' || !(factor >= 0) || !Number.isFinite(factor)) {
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

/**
 * Resolves a layer option: a regularizer, its serialized form (from getConfig), or nothing (null).
 * @param who how messages name the option ("Dense 'fc1': kernelRegularizer"). Default 'getRegularizer'.
 * @throws ConfigError for anything else, or a serialized form that is not one (see deserializeRegularizer).
 */
export function getRegularizer(
  id: Regularizer | SerializedRegularizer | null | undefined,
  who = 'getRegularizer',
): Regularizer | null {
  if (id === undefined || id === null) return null;
  if (typeof id !== 'object' || Array.isArray(id)) {
    throw new ConfigError(
      `${who}: a regularizer must be l1(...), l2(...), { className, config } or null, but got ${JSON.stringify(id)}`,
    );
  }
  if ('apply' in id && typeof id.apply === 'function') return id;
  return deserializeRegularizer(id as SerializedRegularizer, who);
}
