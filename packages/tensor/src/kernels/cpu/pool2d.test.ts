import { describe, expect, it } from 'vitest';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import * as ref from '../reference/pool2d';
import * as cpu from './pool2d';

// The reordered, clipped pooling loops must compute exactly what the reference loops define.

function randomInfos(count: number, seed: number): Array<[string, Conv2DInfo]> {
  const g = new Generator(seed);
  const out: Array<[string, Conv2DInfo]> = [];
  while (out.length < count) {
    const x: [number, number, number, number] = [g.int(1, 3), g.int(1, 10), g.int(1, 10), g.int(1, 4)];
    const pool: [number, number] = [g.int(1, 5), g.int(1, 5)];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const info = computeConv2DInfo(x, pool, x[3], strides, [1, 1], padding);
    if (info.outHeight > 0 && info.outWidth > 0) {
      out.push([`x=[${x}] pool=${pool.join('x')} strides=${strides} ${padding}`, info]);
    }
  }
  return out;
}

describe('cpu pooling kernels match the reference', () => {
  it.each(randomInfos(30, 3))('%s', (_title, info) => {
    const g = new Generator(2);
    const xSize = info.batch * info.inHeight * info.inWidth * info.inChannels;
    const ySize = info.batch * info.outHeight * info.outWidth * info.inChannels;
    // small integers, so windows often tie for the max: both must pick the same (first) cell
    const x = new Float64Array(xSize).map(() => g.int(-2, 3));
    const dy = new Float64Array(ySize).map(() => g.uniform() * 2 - 1);

    for (const [fwdCpu, fwdRef] of [
      [cpu.maxPool2d, ref.maxPool2d],
      [cpu.avgPool2d, ref.avgPool2d],
    ] as const) {
      const y1 = new Float64Array(ySize);
      const y2 = new Float64Array(ySize);
      fwdCpu(x, y1, info);
      fwdRef(x, y2, info);
      for (let i = 0; i < ySize; i++) expect(y1[i]).toBeCloseTo(y2[i]!, 12);
    }

    // backward kernels accumulate into dx: start both from 0.5
    const dx1 = new Float64Array(xSize).fill(0.5);
    const dx2 = new Float64Array(xSize).fill(0.5);
    cpu.maxPool2dBackward(dy, x, dx1, info);
    ref.maxPool2dBackward(dy, x, dx2, info);
    expect(Array.from(dx1)).toEqual(Array.from(dx2));

    const da1 = new Float64Array(xSize).fill(0.5);
    const da2 = new Float64Array(xSize).fill(0.5);
    cpu.avgPool2dBackward(dy, da1, info);
    ref.avgPool2dBackward(dy, da2, info);
    for (let i = 0; i < xSize; i++) expect(da1[i]).toBeCloseTo(da2[i]!, 12);
  });
});
