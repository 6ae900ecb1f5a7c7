import { describe, expect, it } from 'vitest';
import { backgroundValue, loadData } from './data';

describe('loadData --augment', () => {
  it('the uncovered border of an augmented standardized image is the black background (≈ −0.424), not 0', () => {
    const data = loadData({ limit: 64, testLimit: 1, validationSize: 100, batchSize: 64, augment: true, seed: 0 });
    const background = backgroundValue(data.normalization);
    expect(background).toBeCloseTo(-0.424, 3);
    const [batch] = [...data.train.epoch(0)];
    const x = batch!.x.data;
    // MNIST digits sit in the middle 20x20 with a black margin, so after ±2 px and ±10° nearly all
    // of the outermost ring is background: the margin moved in, or the fill. (A few pixels of a
    // large digit may reach it.) With fill 0 instead, every uncovered row or column would be 0.
    let ring = 0;
    let black = 0;
    for (let n = 0; n < 64; n++) {
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          if (r !== 0 && r !== 27 && c !== 0 && c !== 27) continue;
          ring++;
          if (Math.abs(x[(n * 28 + r) * 28 + c]! - background) < 1e-4) black++;
        }
      }
    }
    expect(ring).toBe(64 * 108);
    expect(black / ring).toBeGreaterThan(0.99);
  });
});
