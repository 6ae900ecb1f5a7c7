/**
 * The options every kernel-plus-bias layer takes (Dense, Conv2D): the activation, whether there is
 * a bias, and how the two weights are initialized and regularized. They are documented, resolved
 * and serialized here once, so the layers only add their own options (units; filters, kernelSize, …)
 * and the shapes of their two weights. Keras repeats these arguments on each layer; TF.js too.
 */
import type { FusedActivation, Tensor } from '@sinapse/tensor';
import { type ActivationIdentifier, getActivation } from '../activations';
import {
  getInitializer,
  type Initializer,
  type InitializerIdentifier,
  type SerializedInitializer,
  serializeInitializer,
} from '../initializers';
import type { LayerConfig, WeightSpec } from '../Layer';
import { getRegularizer, type Regularizer, type SerializedRegularizer, serializeRegularizer } from '../regularizers';
import { bool } from './args';
import type { NoneUnlisted, UnlistedOptions } from './optionNames';

/** Options shared by `Dense` and `Conv2D` (names and defaults as in Keras and TF.js layers). */
export interface KernelBiasOptions {
  /** Applied to the output: 'relu', 'sigmoid', 'softmax', ... or a function. Default: none (linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias per output unit (Dense) or per filter (Conv2D). Default true. */
  useBias?: boolean;
  /** Initial kernel values. Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Initial bias values. Default 'zeros'. */
  biasInitializer?: InitializerIdentifier | SerializedInitializer;
  /** Penalty on the kernel added to the loss, e.g. l2(1e-4). Default none. */
  kernelRegularizer?: Regularizer | SerializedRegularizer | null;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: Regularizer | SerializedRegularizer | null;
}

/** The names above, in getConfig order, for a layer's `optionNames`. */
export const KERNEL_BIAS_OPTION_NAMES = [
  'activation',
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
] as const satisfies readonly (keyof KernelBiasOptions)[];

// fails to compile if KernelBiasOptions gains an option that the list above does not name
type _ = NoneUnlisted<UnlistedOptions<typeof KERNEL_BIAS_OPTION_NAMES, KernelBiasOptions>>;

/** {@link KernelBiasOptions} with the defaults filled in and every name turned into the object it names. */
export interface KernelBias {
  activation: { name: string; fn: (x: Tensor) => Tensor };
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
}

/**
 * Applies the defaults and looks the names up, in the layer's constructor so a bad name fails there.
 * @throws ConfigError for an unknown activation or initializer (the message starts with `who`).
 */
export function resolveKernelBias(who: string, options: KernelBiasOptions): KernelBias {
  return {
    activation: getActivation(who, options.activation),
    useBias: bool(who, 'useBias', options.useBias, true),
    kernelInitializer: getInitializer(who, options.kernelInitializer ?? 'glorotUniform', 'kernelInitializer'),
    biasInitializer: getInitializer(who, options.biasInitializer ?? 'zeros', 'biasInitializer'),
    kernelRegularizer: getRegularizer(options.kernelRegularizer, `${who}: kernelRegularizer`),
    biasRegularizer: getRegularizer(options.biasRegularizer, `${who}: biasRegularizer`),
  };
}

/**
 * How a kernel-plus-bias layer runs its activation with the fused ops (fusedConv2d, fusedMatMul):
 * 'relu' and 'linear' run inside the op, in the same pass as the bias; any other activation runs
 * as its own op on the op's 'linear' output (`after`).
 */
export function fusedActivation(kb: KernelBias): { fused: FusedActivation; after: ((x: Tensor) => Tensor) | null } {
  const { name, fn } = kb.activation;
  if (name === 'relu' || name === 'linear') return { fused: name, after: null };
  return { fused: 'linear', after: fn };
}

/** The two weights: 'kernel' with the layer's kernel shape, then 'bias' (only with useBias), in Keras order. */
export function kernelBiasSpecs(
  kb: KernelBias,
  kernelShape: readonly number[],
  biasShape: readonly number[],
): WeightSpec[] {
  const specs: WeightSpec[] = [
    { name: 'kernel', shape: kernelShape, initializer: kb.kernelInitializer, regularizer: kb.kernelRegularizer },
  ];
  if (kb.useBias) {
    specs.push({ name: 'bias', shape: biasShape, initializer: kb.biasInitializer, regularizer: kb.biasRegularizer });
  }
  return specs;
}

/** The options back as plain JSON for getConfig; `getInitializer`/`getRegularizer` read them back unchanged. */
export function kernelBiasConfig(kb: KernelBias): LayerConfig {
  return {
    activation: kb.activation.name,
    useBias: kb.useBias,
    kernelInitializer: serializeInitializer(kb.kernelInitializer),
    biasInitializer: serializeInitializer(kb.biasInitializer),
    kernelRegularizer: kb.kernelRegularizer && serializeRegularizer(kb.kernelRegularizer),
    biasRegularizer: kb.biasRegularizer && serializeRegularizer(kb.biasRegularizer),
  };
}
