/**
 * Activations by name, as in Keras (`activation: 'relu'`), or as any function of a tensor.
 * A nonlinearity between layers is what lets a stack of layers represent more than one linear map.
 */
import { ConfigError, exp, minimum, relu, type Tensor } from '@sinapse/tensor';

export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'leakyRelu' | 'elu';
export type ActivationIdentifier = ActivationName | ((x: Tensor) => Tensor);

/** elu(x) = x for x > 0, eˣ − 1 otherwise (Clevert et al. 2015): written as relu(x) + e^min(x,0) − 1. */
export function elu(x: Tensor): Tensor {
  return relu(x)
    .add(exp(minimum(x, 0)))
    .sub(1);
}

const activations: Record<ActivationName, (x: Tensor) => Tensor> = {
  relu: (x) => x.relu(),
  sigmoid: (x) => x.sigmoid(),
  tanh: (x) => x.tanh(),
  softmax: (x) => x.softmax(-1),
  linear: (x) => x,
  leakyRelu: (x) => x.leakyRelu(),
  elu,
};

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
  const fn = activations[id];
  if (fn === undefined) {
    throw new ConfigError(
      `${who}: activation must be one of ${Object.keys(activations)
        .map((a) => `'${a}'`)
        .join(', ')} or a function, but got ${JSON.stringify(id)}`,
    );
  }
  return { name: id, fn };
}
