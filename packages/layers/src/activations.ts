/**
 * Activations by name, as in Keras (`activation: 'relu'`), or as any function of a tensor.
 * A nonlinearity between layers is what lets a stack of layers represent more than one linear map.
 *
 * Both spellings work: Keras's snake_case ('log_softmax', 'hard_swish') and TF.js's camelCase
 * ('logSoftmax', 'hardSwish'); getConfig keeps the name as given, so a config reloads unchanged.
 * One pair differs in value, not only in spelling, because the two frameworks define it
 * differently: 'hard_sigmoid' is Keras 3's relu6(x + 3)/6 (slope 1/6, flat beyond ±3), while
 * 'hardSigmoid' is TF.js's (and Keras 2's) clip(0.2·x + 0.5, 0, 1) (slope 0.2, flat beyond ±2.5),
 * so a model loaded from either computes what it computed there.
 */
import {
  abs,
  ConfigError,
  clip,
  div,
  exp,
  gelu,
  minimum,
  mul,
  relu,
  softplus,
  suggestOption,
  type Tensor,
} from '@sinapse/tensor';

/** The activations by name, Keras's snake_case names and their camelCase twins ('leaky_relu', 'leakyRelu'). */
export type ActivationName =
  | 'linear'
  | 'relu'
  | 'relu6'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'log_softmax'
  | 'logSoftmax'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'silu'
  | 'hard_sigmoid'
  | 'hardSigmoid'
  | 'hard_swish'
  | 'hardSwish'
  | 'hard_silu'
  | 'mish'
  | 'gelu'
  | 'gelu_new';
/** What an `activation` option takes: a name, or any function of a tensor (saved as 'custom', so not reloadable). */
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor);

/** elu(x) = x for x > 0, α·(eˣ − 1) otherwise (Clevert et al. 2015): written as relu(x) + α·(e^min(x,0) − 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  const negative = exp(minimum(x, 0)).sub(1);
  return relu(x).add(alpha === 1 ? negative : mul(negative, alpha));
}

/** SELU's constants (Klambauer et al. 2017): the fixed point of mean 0 and variance 1. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** selu(x) = λ·elu(x, α), with λ ≈ 1.0507 and α ≈ 1.6733, self-normalizing with lecunNormal weights. */
export function selu(x: Tensor): Tensor {
  return mul(elu(x, SELU_ALPHA), SELU_SCALE);
}

/** softsign(x) = x / (1 + |x|), a tanh that approaches ±1 polynomially rather than exponentially. */
export function softsign(x: Tensor): Tensor {
  return div(x, abs(x).add(1));
}

/** swish(x) = silu(x) = x·σ(x) (Ramachandran et al. 2017; Elfwing et al. 2017). */
export function swish(x: Tensor): Tensor {
  return mul(x, x.sigmoid());
}

/** Keras 3's hard_sigmoid: relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1), MobileNetV3's piecewise-linear σ. */
export function hardSigmoid(x: Tensor): Tensor {
  return clip(mul(x, 1 / 6).add(0.5), 0, 1);
}

/** hard_swish(x) = x · relu6(x + 3) / 6 (Howard et al. 2019, MobileNetV3): swish with σ made piecewise linear. */
export function hardSwish(x: Tensor): Tensor {
  return mul(x, hardSigmoid(x));
}

/** mish(x) = x · tanh(softplus(x)) (Misra 2019). */
export function mish(x: Tensor): Tensor {
  return mul(x, softplus(x).tanh());
}

/** Each activation once, by its function; the table below gives it its names. */
const relu6 = (x: Tensor) => clip(x, 0, 6);
const logSoftmax = (x: Tensor) => x.logSoftmax(-1);
const leakyRelu = (x: Tensor) => x.leakyRelu();
// TF.js's (and Keras 2's) hardSigmoid: clip(0.2·x + 0.5, 0, 1)
const hardSigmoidTfjs = (x: Tensor) => clip(mul(x, 0.2).add(0.5), 0, 1);

// the first seven in the order they were added, the lecture's; then Keras's and TF.js's newer ones
const activations: Record<ActivationName, (x: Tensor) => Tensor> = {
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softmax: (x) => x.softmax(-1),
  linear: (x) => x,
  leakyRelu,
  elu: (x) => elu(x),
  leaky_relu: leakyRelu,
  relu6,
  selu,
  softplus: (x) => softplus(x),
  softsign,
  swish,
  silu: swish,
  hard_sigmoid: hardSigmoid,
  hardSigmoid: hardSigmoidTfjs,
  hard_swish: hardSwish,
  hardSwish,
  hard_silu: hardSwish,
  mish,
  gelu: (x) => gelu(x),
  gelu_new: (x) => gelu(x, true),
  log_softmax: logSoftmax,
  logSoftmax,
};

/** Every name an `activation` option accepts. */
export const ACTIVATION_NAMES = Object.keys(activations) as ActivationName[];

/** The function for a name (or the function itself), with its name for getConfig ('custom' for functions). */
export function getActivation(
  who: string,
  id: ActivationIdentifier | undefined,
): { name: string; fn: (x: Tensor) => Tensor } {
  if (id === undefined) return { name: 'linear', fn: activations.linear };
  if (typeof id === 'function') return { name: 'custom', fn: id };
  if ((id as string) === 'custom') {
    throw new ConfigError(
      `${who}: a custom activation function cannot be rebuilt from a config; construct the layer again with the function`,
    );
  }
  const fn = Object.hasOwn(activations, id) ? activations[id] : undefined;
  if (fn === undefined) {
    const guess = typeof id === 'string' ? suggestActivation(id) : null;
    throw new ConfigError(
      `${who}: activation must be one of ${ACTIVATION_NAMES.map((a) => `'${a}'`).join(', ')} or a function, ` +
        `but got ${JSON.stringify(id)}${guess === null ? '' : `; did you mean '${guess}'?`}`,
    );
  }
  return { name: id, fn };
}

/**
 * The name `id` was probably meant as (suggestOption's rules: case, spelling within 2 edits), in
 * the same style: 'hard_sigmod' → 'hard_sigmoid', 'hardSigmod' → 'hardSigmoid'. Null if none.
 */
function suggestActivation(id: string): string | null {
  const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  const guess = suggestOption(id, ACTIVATION_NAMES.map(camel));
  if (guess === null) return null;
  const matches = ACTIVATION_NAMES.filter((name) => camel(name) === guess);
  return matches.find((name) => name.includes('_') === id.includes('_')) ?? matches[0]!;
}
