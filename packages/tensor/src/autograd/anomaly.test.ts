/**
 * Anomaly mode: off by default (NaN and Infinity flow through as IEEE says), on it names the first
 * op whose forward output or backward gradient is non-finite, with the calling layers.
 */
import { describe, expect, it } from 'vitest';
import { ValueError } from '../errors';
import { tensor } from '../ops/creation';
import { detectAnomaly, inLayer, isDetectAnomalyEnabled, setDetectAnomaly } from './anomaly';

describe('detectAnomaly', () => {
  it('is off by default: log(0) is -Infinity and the gradient of sqrt at 0 is Infinity, silently', () => {
    expect(isDetectAnomalyEnabled()).toBe(false);
    expect(tensor([1, 0]).log().toArray()).toEqual([0, Number.NEGATIVE_INFINITY]);
    const x = tensor([4, 0], undefined, { requiresGrad: true });
    x.sqrt().sum().backward();
    expect(x.grad!.toArray()).toEqual([0.25, Number.POSITIVE_INFINITY]);
  });

  it('names the first op whose forward output is not finite, and where', () => {
    const x = tensor([[1, 2, 0]]);
    // exp and mul are fine; log of the 0 is the first non-finite value
    expect(() => detectAnomaly(() => x.mul(2).log().exp())).toThrow(
      new ValueError(
        "detectAnomaly: 'log' (outside any layer) produced -Infinity at flat index 2 of shape [1, 3] from finite " +
          'inputs (shapes [1, 3]) in the forward pass',
      ),
    );
    // an overflow is found too: exp(100) is Infinity in float32
    expect(() => detectAnomaly(() => tensor([1, 100]).exp())).toThrow(
      /^detectAnomaly: 'exp' \(outside any layer\) produced Infinity at flat index 1 of shape \[2\]/,
    );
  });

  it('names the backward rule that made a non-finite gradient from a finite one (sqrt at 0)', () => {
    const x = tensor([4, 0, 9], undefined, { requiresGrad: true });
    expect(() =>
      detectAnomaly(() =>
        inLayer('root', () => x.sqrt())
          .mul(3)
          .sum()
          .backward(),
      ),
    ).toThrow(
      new ValueError(
        "detectAnomaly: the backward of 'sqrt' in layer 'root' produced Infinity at flat index 1 of shape [3] in the " +
          'gradient of input 0, from a finite upstream gradient (at a point where the derivative is infinite, such as ' +
          'sqrt or log at 0?)',
      ),
    );
    // a NaN gradient: d|x|/dx · 0 is fine, but sqrt's rule at 0 with a zero upstream gives 0/0 = NaN
    const y = tensor([0, 1], undefined, { requiresGrad: true });
    expect(() =>
      detectAnomaly(() =>
        y
          .sqrt()
          .mul(tensor([0, 1]))
          .sum()
          .backward(),
      ),
    ).toThrow(/^detectAnomaly: the backward of 'sqrt' \(outside any layer\) produced NaN at flat index 0/);
  });

  it('names the layer path and says when a non-finite value came in from outside (data, a weight)', () => {
    expect(() =>
      detectAnomaly(() => inLayer('model', () => inLayer('block1', () => inLayer('act', () => tensor([-1]).log())))),
    ).toThrow(/^detectAnomaly: 'log' in layer 'model\/block1\/act' produced NaN/);
    expect(() => detectAnomaly(() => inLayer('fc', () => tensor([1, Number.NaN]).mul(2)))).toThrow(
      new ValueError(
        "detectAnomaly: input 0 of 'mul' in layer 'fc' already holds NaN at flat index 1 of shape [2]; it was not " +
          'made by an op checked in this mode (the data, a weight, or a tensor computed before anomaly detection was ' +
          'turned on)',
      ),
    );
  });

  it('restores the previous mode after a return, a throw and an async function; setDetectAnomaly sets it', async () => {
    expect(detectAnomaly(() => isDetectAnomalyEnabled())).toBe(true);
    expect(isDetectAnomalyEnabled()).toBe(false);
    expect(() => detectAnomaly(() => tensor([0]).log())).toThrow(ValueError);
    expect(isDetectAnomalyEnabled()).toBe(false);
    const pending = detectAnomaly(async () => {
      await Promise.resolve();
      return isDetectAnomalyEnabled();
    });
    expect(isDetectAnomalyEnabled()).toBe(true); // still running
    expect(await pending).toBe(true);
    expect(isDetectAnomalyEnabled()).toBe(false);
    await expect(
      detectAnomaly(async () => {
        await Promise.resolve();
        tensor([0]).log();
      }),
    ).rejects.toThrow(ValueError);
    expect(isDetectAnomalyEnabled()).toBe(false);
    setDetectAnomaly(true);
    try {
      expect(() => tensor([0]).log()).toThrow(/detectAnomaly: 'log'/);
    } finally {
      setDetectAnomaly(false);
    }
    expect(tensor([0]).log().item()).toBe(Number.NEGATIVE_INFINITY);
  });
});
