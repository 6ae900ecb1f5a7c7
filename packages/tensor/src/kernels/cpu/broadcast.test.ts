import { describe, expect, it } from 'vitest';
import { binaryLayout, broadcastIndex } from './broadcast';

describe('broadcastIndex', () => {
  it('doc examples: out=[2,3] from [3] and from [2,1]', () => {
    expect(Array.from(broadcastIndex([2, 3], [3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(broadcastIndex([2, 3], [2, 1]))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('out=[2,2,3] from [2,1,3]: the middle axis repeats', () => {
    // in[n, 0, c] sits at n·3 + c
    expect(Array.from(broadcastIndex([2, 2, 3], [2, 1, 3]))).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
  });

  it('out=[2,3] from [] and from [2,3]', () => {
    expect(Array.from(broadcastIndex([2, 3], []))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(broadcastIndex([2, 3], [2, 3]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('out=[] from [] is [0]; out with a 0 axis is empty', () => {
    expect(Array.from(broadcastIndex([], []))).toEqual([0]);
    expect(broadcastIndex([0, 3], [3]).length).toBe(0);
  });
});

describe('binaryLayout', () => {
  it('picks same / scalarA / scalarB / indexed', () => {
    expect(binaryLayout([2, 3], [2, 3], [2, 3]).kind).toBe('same');
    expect(binaryLayout([1, 3], [3], [1, 3]).kind).toBe('same');
    expect(binaryLayout([2, 3], [], [2, 3]).kind).toBe('scalarA');
    expect(binaryLayout([2, 3], [2, 3], [1, 1]).kind).toBe('scalarB');
    expect(binaryLayout([2, 3], [2, 3], [3]).kind).toBe('indexed');
  });
});
