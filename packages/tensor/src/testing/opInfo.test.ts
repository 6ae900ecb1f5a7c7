import { describe, expect, it } from 'vitest';
import { gradCheck } from './gradCheck';
import { opInfos } from './opInfos/index';

// See Note [OpInfos]: one loop tests every op the same way.
describe.each(opInfos.map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const samples = info.sampleInputs();
  it('has samples and error inputs', () => {
    expect(samples.length).toBeGreaterThan(0);
    expect(info.errorInputs().length).toBeGreaterThan(0);
  });

  it.each(samples.map((s) => [s.title, s] as const))('forward %s', (_title, sample) => {
    const y = sample.run(...sample.inputs);
    if (sample.expected !== undefined) {
      expect(y.shape).toEqual([...sample.expected.shape]);
      const got = Array.from(y.data);
      const want = Array.from(sample.expected.values);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 9);
    }
  });

  if (info.supportsGrad) {
    it.each(samples.map((s) => [s.title, s] as const))('gradCheck %s', (_title, sample) => {
      const wrt = sample.inputs.map((_, i) => i).filter((i) => !sample.noGrad?.includes(i));
      const result = gradCheck(sample.run, sample.inputs, { wrt, ...sample.gradTolerance });
      expect(result.ok).toBe(true);
    });
  }

  it.each(info.errorInputs().map((e) => [e.title, e] as const))('error %s', (_title, e) => {
    let thrown: unknown;
    try {
      e.run();
    } catch (err) {
      thrown = err;
    }
    expect(thrown, 'expected an error').toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe(e.error);
    expect((thrown as Error).message).toMatch(e.message);
  });
});
