import { zeros } from '@sinapse/tensor';
import { describe, expect, it } from 'vitest';
import { Conv1D } from './Conv1D';
import { Conv2DTranspose } from './Conv2DTranspose';
import { DepthwiseConv2D } from './DepthwiseConv2D';
import { SeparableConv2D } from './SeparableConv2D';

describe("Keras's positional arguments for the newer conv layers", () => {
  it('give the same layer as the options object', () => {
    const pairs = [
      [new DepthwiseConv2D(3, { padding: 'same' }), new DepthwiseConv2D({ kernelSize: 3, padding: 'same' })],
      [new SeparableConv2D(8, [3, 3]), new SeparableConv2D({ filters: 8, kernelSize: [3, 3] })],
      [new Conv2DTranspose(4, 2, { strides: 2 }), new Conv2DTranspose({ filters: 4, kernelSize: 2, strides: 2 })],
      [new Conv1D(6, 5, { padding: 'causal' }), new Conv1D({ filters: 6, kernelSize: 5, padding: 'causal' })],
    ] as const;
    for (const [a, b] of pairs) {
      const { name: _a, ...ca } = a.getConfig();
      const { name: _b, ...cb } = b.getConfig();
      expect(ca).toEqual(cb);
    }
    expect(new SeparableConv2D(8, 3).apply(zeros([1, 5, 5, 2])).shape).toEqual([1, 3, 3, 8]);
  });

  it('refuse an option given twice', () => {
    expect(() => new Conv2DTranspose(4, 2, { filters: 8 } as never)).toThrow(
      'Conv2DTranspose: filters is given twice, 4 as an argument and 8 in the options',
    );
  });
});
