import { avgPool2d, globalAvgPool2d, globalMaxPool2d, maxPool2d, tensor } from 'sinapse';
import { describe, expect, it } from 'vitest';
import { formatValue, LECTURE_IMAGE } from './pooling';

// the same ops the playground calls, on its default image (the browser test checks the page itself)
describe("the pooling playground's defaults", () => {
  const x = tensor(LECTURE_IMAGE.flat(), [1, 4, 4, 1]);
  const shown = (t: ReturnType<typeof tensor>) => Array.from(t.dataSync(), formatValue);

  it("gives the lecture's numbers for 2x2 windows, stride 2, and for global pooling", () => {
    expect(shown(maxPool2d(x, { poolSize: 2, strides: 2 }))).toEqual(['9', '7', '8', '6']);
    expect(shown(avgPool2d(x, { poolSize: 2, strides: 2 }))).toEqual(['4.25', '4.25', '4.25', '3.5']);
    expect(shown(globalMaxPool2d(x))).toEqual(['9']);
    expect(shown(globalAvgPool2d(x))).toEqual(['4.0625']);
  });

  it('formats values as the lecture writes them: no trailing zeros, at most 4 decimals', () => {
    expect([4.25, 3.5, 4.0625, Math.sqrt(105), 9].map(formatValue)).toEqual(['4.25', '3.5', '4.0625', '10.247', '9']);
  });
});
