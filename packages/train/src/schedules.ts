/**
 * Learning-rate schedules: plain functions from a step number t = 0, 1, 2, … to a learning rate.
 * Pass one as an optimizer's `learningRate` (t is then the optimizer's step, `iterations`), or
 * to the `learningRateScheduler` callback (t is then the epoch).
 *
 * @example
 * const lr = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * lr(0);   // 0.1
 * lr(100); // 0.05
 * const optimizer = new SGD({ learningRate: warmup(lr, 10), momentum: 0.9 });
 */
import { ConfigError, checkOptionNames } from '@sinapse/tensor';

/** A learning rate as a function of the step (or epoch) number, starting at 0. */
export type Schedule = (step: number) => number;

function check(fn: string, name: string, value: number, ok: boolean, rule: string): void {
  if (!ok || Number.isNaN(value)) throw new ConfigError(`${fn}: ${name} must be ${rule}, but got ${value}`);
}

/**
 * Multiplies the rate by `decayRate` every `decaySteps` steps (PyTorch `StepLR`):
 *
 *   lr(t) = initialLearningRate · decayRate^⌊t / decaySteps⌋
 */
export function stepDecay(options: { initialLearningRate: number; decaySteps: number; decayRate?: number }): Schedule {
  checkOptionNames('stepDecay', options, ['initialLearningRate', 'decaySteps', 'decayRate']);
  const { initialLearningRate: lr0, decaySteps, decayRate = 0.1 } = options;
  check('stepDecay', 'initialLearningRate', lr0, lr0 >= 0, 'non-negative');
  check('stepDecay', 'decaySteps', decaySteps, Number.isInteger(decaySteps) && decaySteps > 0, 'a positive integer');
  check('stepDecay', 'decayRate', decayRate, decayRate > 0, 'positive');
  return (t) => lr0 * decayRate ** Math.floor(t / decaySteps);
}

/**
 * Smooth exponential decay (Keras `ExponentialDecay`); with `staircase` it is {@link stepDecay}:
 *
 *   lr(t) = initialLearningRate · decayRate^(t / decaySteps)
 */
export function exponentialDecay(options: {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}): Schedule {
  checkOptionNames('exponentialDecay', options, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase']);
  const { initialLearningRate: lr0, decaySteps, decayRate, staircase = false } = options;
  check('exponentialDecay', 'initialLearningRate', lr0, lr0 >= 0, 'non-negative');
  check('exponentialDecay', 'decaySteps', decaySteps, decaySteps > 0, 'positive');
  check('exponentialDecay', 'decayRate', decayRate, decayRate > 0, 'positive');
  return (t) => lr0 * decayRate ** (staircase ? Math.floor(t / decaySteps) : t / decaySteps);
}

/**
 * Half a cosine from the initial rate down to `alpha` times it over `decaySteps` steps, then
 * constant (Loshchilov & Hutter, SGDR, without restarts; Keras `CosineDecay`):
 *
 *   lr(t) = initialLearningRate · (α + (1 − α) · ½(1 + cos(π · min(t, T) / T)))
 */
export function cosineDecay(options: { initialLearningRate: number; decaySteps: number; alpha?: number }): Schedule {
  checkOptionNames('cosineDecay', options, ['initialLearningRate', 'decaySteps', 'alpha']);
  const { initialLearningRate: lr0, decaySteps, alpha = 0 } = options;
  check('cosineDecay', 'initialLearningRate', lr0, lr0 >= 0, 'non-negative');
  check('cosineDecay', 'decaySteps', decaySteps, decaySteps > 0, 'positive');
  check('cosineDecay', 'alpha', alpha, alpha >= 0 && alpha <= 1, 'in [0, 1]');
  return (t) => lr0 * (alpha + (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps)));
}

/**
 * Linear warmup: ramps from schedule(0)/steps up to schedule(0) over the first `steps` steps, then
 * follows `schedule`, started afresh (its step 0 is the first step after the warmup). Large
 * batches and Adam often need it: the first gradients are the least reliable.
 *
 *   lr(t) = schedule(0) · (t + 1) / steps    for t < steps
 *   lr(t) = schedule(t − steps)              afterwards
 *
 * @param schedule the schedule to follow after the warmup (a number means constant)
 * @param steps how many steps the ramp lasts, a positive integer
 */
export function warmup(schedule: Schedule | number, steps: number): Schedule {
  check('warmup', 'steps', steps, Number.isInteger(steps) && steps > 0, 'a positive integer');
  const after: Schedule = typeof schedule === 'number' ? () => schedule : schedule;
  return (t) => (t < steps ? (after(0) * (t + 1)) / steps : after(t - steps));
}
