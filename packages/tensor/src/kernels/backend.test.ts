import { describe, expect, it } from 'vitest';
import { ValueError } from '../errors';
import { type Backend, findBackend, getBackend, listBackends, registerBackend, setBackend } from './index';

describe('choosing a backend', () => {
  it('setBackend names the registered backends when it does not know the name', () => {
    const before = getBackend();
    expect(() => setBackend('gpu')).toThrow(ValueError);
    const names = listBackends()
      .map((n) => `'${n}'`)
      .join(', ');
    expect(() => setBackend('gpu')).toThrow(`setBackend: the backend must be one of ${names}, but got 'gpu'`);
    expect(() => setBackend(undefined as unknown as string)).toThrow(/, but got undefined$/);
    expect(getBackend()).toBe(before); // a failed switch changes nothing
  });

  it('findBackend returns undefined for an unknown name and the backend for a known one', () => {
    expect(findBackend('gpu')).toBeUndefined();
    expect(findBackend('cpu')?.name).toBe('cpu');
  });

  it('registerBackend refuses a backend without a name or without every required kernel', () => {
    const cpu = findBackend('cpu')!;
    expect(() => registerBackend(null as unknown as Backend)).toThrow(ValueError);
    expect(() => registerBackend(null as unknown as Backend)).toThrow(
      'registerBackend: a backend must be an object with a non-empty string name, but got null',
    );
    expect(() => registerBackend({ ...cpu, name: '' })).toThrow(/non-empty string name, but got name ''$/);
    const { conv2d: _conv2d, relu: _relu, ...partial } = cpu;
    expect(() => registerBackend({ ...partial, name: 'mine' } as Backend)).toThrow(
      "registerBackend: a backend must have a function for every kernel of the Backend interface, but backend 'mine' has none for conv2d, relu",
    );
    expect(listBackends()).not.toContain('mine');
  });
});
