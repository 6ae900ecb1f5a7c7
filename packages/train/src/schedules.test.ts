import { describe, expect, it } from 'vitest';
import { cosineDecay, exponentialDecay, stepDecay, warmup } from './schedules';

describe('schedules', () => {
  it('stepDecay 0.1, every 10 steps ×0.5: 0.1 until 9, 0.05 from 10, 0.025 from 20', () => {
    const lr = stepDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect([0, 9, 10, 19, 20].map(lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('exponentialDecay 1, rate 0.5 per 2 steps: 1, 0.7071 (t=1), 0.5 (t=2); staircase keeps 1 at t=1', () => {
    const lr = exponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 });
    expect(lr(0)).toBe(1);
    expect(lr(1)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(lr(2)).toBeCloseTo(0.5, 12);
    const stairs = exponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5, staircase: true });
    expect([0, 1, 2, 3].map(stairs)).toEqual([1, 1, 0.5, 0.5]);
  });

  it('cosineDecay 1 over 10 steps: 1, 0.5 at half way, alpha·1 from the end on', () => {
    const lr = cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
    expect(lr(0)).toBeCloseTo(1, 12);
    expect(lr(5)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    expect(lr(10)).toBeCloseTo(0.1, 12);
    expect(lr(25)).toBeCloseTo(0.1, 12);
  });

  it('warmup over 4 steps ramps 0.25, 0.5, 0.75, 1 × schedule(0), then runs the schedule from its step 0', () => {
    const lr = warmup(stepDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 }), 4);
    const expected = [0.05, 0.1, 0.15, 0.2, 0.2, 0.2, 0.1];
    for (let t = 0; t < expected.length; t++) expect(lr(t)).toBeCloseTo(expected[t]!, 15);
    expect(warmup(0.1, 2)(5)).toBe(0.1);
  });

  it('decaySteps 0 and warmup steps 1.5 throw', () => {
    expect(() => stepDecay({ initialLearningRate: 0.1, decaySteps: 0 })).toThrow(
      'stepDecay: decaySteps must be a positive integer, but got 0',
    );
    expect(() => warmup(0.1, 1.5)).toThrow('warmup: steps must be a positive integer, but got 1.5');
  });

  it('misspelled options are refused with a did-you-mean (Keras spells it decay_steps)', () => {
    expect(() => stepDecay({ initialLearningRate: 0.1, decay_steps: 10 } as never)).toThrow(
      "stepDecay: unknown option 'decay_steps'; did you mean 'decaySteps'?",
    );
    expect(() => cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alfa: 0.1 } as never)).toThrow(
      "cosineDecay: unknown option 'alfa'; did you mean 'alpha'?",
    );
    expect(() =>
      exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5, stair: true } as never),
    ).toThrow("exponentialDecay: unknown option 'stair'");
  });
});
