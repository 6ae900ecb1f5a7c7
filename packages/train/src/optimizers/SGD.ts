/**
 * Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay
 * (PyTorch `torch.optim.SGD` semantics). For a weight w with gradient g, each step:
 *
 *   g ← g + λ·w                  weight decay λ: the gradient of (λ/2)·‖w‖², pulls w towards 0
 *   plain:     w ← w − η·g
 *   momentum:  v ← μ·v + g       v is a running sum of past gradients (v starts at 0)
 *              w ← w − η·v
 *   Nesterov:  v ← μ·v + g
 *              w ← w − η·(g + μ·v)   (look ahead: step with the gradient plus the next velocity)
 *
 * Momentum lets steps build up along directions where the gradient keeps its sign and cancel
 * where it oscillates, like a ball rolling down the loss surface. With μ = 0.9 a constant
 * gradient gives steps 1/(1 − μ) = 10 times larger than plain SGD.
 *
 * Keras writes momentum as v ← μ·v − η·g, w ← w + v. That is the same trajectory with
 * v_keras = −η·v_here, as long as η is constant; when a schedule changes η, PyTorch's form applies
 * the new rate to the whole velocity at once while Keras's changes only the newest gradient's share.
 */
import type { NoneUnlisted, UnlistedOptions } from '@sinapse/layers';
import { ConfigError, type TypedArray } from '@sinapse/tensor';
import { OPTIMIZER_OPTIONS, Optimizer, type OptimizerOptions } from './Optimizer';

export interface SGDOptions extends OptimizerOptions {
  /** η, the step size. Default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
  /** μ in [0, 1): how much of the previous velocity is kept. Default 0 (plain SGD). */
  momentum?: number;
  /** Use Nesterov momentum (needs momentum > 0). Default false. */
  nesterov?: boolean;
  /** λ ≥ 0, L2 weight decay added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * @example
 * const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9 });
 * loss.backward();
 * optimizer.step(model.trainableWeights);
 * model.zeroGrad();
 */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  static override readonly optionNames = [
    ...OPTIMIZER_OPTIONS,
    'momentum',
    'nesterov',
    'weightDecay',
  ] as const satisfies readonly (keyof SGDOptions)[];

  /** The {@link SGDOptions.momentum | momentum} option, as the optimizer uses it. */
  readonly momentum: number;
  /** The {@link SGDOptions.nesterov | nesterov} option, as the optimizer uses it. */
  readonly nesterov: boolean;
  /** The {@link SGDOptions.weightDecay | weightDecay} option, as the optimizer uses it. */
  readonly weightDecay: number;
  protected readonly slotNames: readonly string[];

  constructor(options: SGDOptions = {}) {
    super(options, 0.01);
    const { momentum = 0, nesterov = false, weightDecay = 0 } = options;
    if (!(momentum >= 0 && momentum < 1)) {
      throw new ConfigError(`SGD: momentum must be in [0, 1), but got ${momentum}`);
    }
    if (nesterov && momentum === 0) throw new ConfigError('SGD: nesterov needs momentum > 0, but got momentum=0');
    if (!(weightDecay >= 0)) throw new ConfigError(`SGD: weightDecay must be ≥ 0, but got ${weightDecay}`);
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    // plain SGD keeps no state; momentum keeps one velocity per weight
    this.slotNames = momentum > 0 ? ['momentum'] : [];
  }

  protected update(w: TypedArray, g: TypedArray, slots: TypedArray[], lr: number): void {
    const mu = this.momentum;
    const wd = this.weightDecay;
    if (mu === 0) {
      for (let i = 0; i < w.length; i++) w[i]! -= lr * (g[i]! + wd * w[i]!);
      return;
    }
    const v = slots[0]!;
    const nesterov = this.nesterov;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + wd * w[i]!;
      const vi = mu * v[i]! + gi;
      v[i] = vi;
      w[i]! -= lr * (nesterov ? gi + mu * vi : vi);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}

// fails to compile if SGDOptions gains an option that optionNames does not list
type _ = NoneUnlisted<UnlistedOptions<typeof SGD.optionNames, SGDOptions>>;
