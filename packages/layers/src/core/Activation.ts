import { ConfigError, type Tensor } from '@sinapse/tensor';
import { type ActivationIdentifier, getActivation } from '../activations';
import { Layer, type LayerConfig, type LayerOptions, type LayerShape } from '../Layer';
import { registerLayer } from '../registry';
import { positionalOptions } from '../util/args';
import type { NoneUnlisted, UnlistedOptions } from '../util/optionNames';

/** Options for {@link Activation}. */
export interface ActivationOptions extends LayerOptions {
  /** A name ('relu', 'gelu', 'hard_swish', ...: see ACTIVATION_NAMES in activations.ts) or a function. Required. */
  activation: ActivationIdentifier;
}

/**
 * Applies an activation function element by element (softmax: along the last axis), as a layer of
 * its own: `Conv2D({ filters: 6, kernelSize: 5 })` then `Activation({ activation: 'relu' })` is
 * the same as `Conv2D({ ..., activation: 'relu' })`, but lets you look at the values before the
 * nonlinearity, or put a BatchNormalization in between.
 *
 *   y = f(x)
 *
 * **Shape**: unchanged. No weights.
 *
 * @throws ConfigError for a missing or unknown activation.
 * @example
 * new Activation({ activation: 'relu' }).apply(tensor([[-1, 2]])).toArray(); // [[0, 2]]
 */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  static override readonly optionNames = ['activation'] as const satisfies readonly (keyof ActivationOptions)[];

  private readonly activation: { name: string; fn: (x: Tensor) => Tensor };

  constructor(options: ActivationOptions);
  /** Keras's positional form: `new Activation('relu')`. */
  constructor(activation: ActivationOptions['activation'], options?: Omit<ActivationOptions, 'activation'>);
  // the body also runs for JavaScript's `new Activation()`: the check below then names the missing activation
  constructor(...args: unknown[]) {
    const options = positionalOptions<Partial<ActivationOptions>>('Activation', args, ['activation']);
    super(options);
    // getActivation reads a missing activation as linear, which is right for Dense but not here
    if (options.activation === undefined) {
      throw new ConfigError(`${this.describe()}: activation is required, e.g. 'relu', but got undefined`);
    }
    this.activation = getActivation(this.describe(), options.activation);
  }

  protected call(x: Tensor): Tensor {
    return this.activation.fn(x);
  }

  /** The shape is unchanged. */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  protected options(): LayerConfig {
    return { activation: this.activation.name };
  }
}

// fails to compile if ActivationOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof Activation.optionNames, ActivationOptions, LayerOptions>>;

registerLayer(Activation);
