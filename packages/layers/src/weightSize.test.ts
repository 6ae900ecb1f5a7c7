import { MAX_ELEMENTS, ValueError, zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2D } from './convolutional/Conv2D';
import { Dense } from './core/Dense';

describe('weights past the size limit', () => {
  it('a layer refuses to build a weight larger than a tensor can hold, naming itself and the weight', () => {
    expect(() => new Dense({ name: 'huge', units: 1e8 }).apply(zeros([1, 784]))).toThrow(
      new ValueError(
        "Dense 'huge': weight 'kernel': the result [784, 100000000] would have 78400000000 elements (314 GB as float32), " +
          `more than a tensor can hold (${MAX_ELEMENTS} elements, the engine's typed-array limit)`,
      ),
    );
    expect(() =>
      new Conv2D({ name: 'wide', filters: 1e6, kernelSize: 100, inputShape: [200, 200, 1] }).build([null, 200, 200, 1]),
    ).toThrow(/^Conv2D 'wide': weight 'kernel': the result \[100, 100, 1, 1000000\] would have 10000000000 elements/);
  });
});
