import { describe, expect, it } from 'vitest';
import { Generator } from '../../random';
import { type Conv2DInfo, computeConv2DInfo, type Padding } from '../conv2dInfo';
import * as ref from '../reference/depthwiseConv2d';
import * as cpu from './depthwiseConv2d';

// The reordered kernels must compute the same sums as the reference loops, forward and backward.

function randomCases(count: number, seed: number): Array<[string, Conv2DInfo]> {
  const g = new Generator(seed);
  const cases: Array<[string, Conv2DInfo]> = [];
  while (cases.length < count) {
    const k: [number, number] = [g.int(1, 6), g.int(1, 6)];
    const dil: [number, number] = g.uniform() < 0.3 ? [g.int(1, 4), g.int(1, 4)] : [1, 1];
    const strides: [number, number] = [g.int(1, 4), g.int(1, 4)];
    const padding: Padding = g.uniform() < 0.5 ? 'same' : 'valid';
    const x: [number, number, number, number] = [g.int(1, 3), g.int(1, 12), g.int(1, 12), g.int(1, 6)];
    const m = g.int(1, 4);
    const info = computeConv2DInfo(x, k, x[3] * m, strides, dil, padding);
    if (info.outHeight > 0 && info.outWidth > 0)
      cases.push([`x=[${x}] k=${k.join('x')} M=${m} s=${strides} d=${dil} ${padding}`, info]);
  }
  return cases;
}

function random(n: number, g: Generator): Float64Array {
  return Float64Array.from({ length: n }, () => g.uniform() * 2 - 1);
}

function expectClose(got: Float64Array, want: Float64Array): void {
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > 1e-12 * (1 + Math.abs(want[i]!))) {
      expect.fail(`element ${i}: cpu ${got[i]}, reference ${want[i]}`);
    }
  }
}

describe('depthwiseConv2d cpu kernels vs reference', () => {
  it.each(randomCases(60, 77))('%s', (_title, info) => {
    const g = new Generator(3);
    const xSize = info.batch * info.inHeight * info.inWidth * info.inChannels;
    const wSize = info.filterHeight * info.filterWidth * info.outChannels;
    const ySize = info.batch * info.outHeight * info.outWidth * info.outChannels;
    const x = random(xSize, g);
    const w = random(wSize, g);
    const dy = random(ySize, g);
    const [yRef, yCpu] = [new Float64Array(ySize), new Float64Array(ySize)];
    ref.depthwiseConv2d(x, w, yRef, info);
    cpu.depthwiseConv2d(x, w, yCpu, info);
    expectClose(yCpu, yRef);
    // backward kernels accumulate: start both from the same non-zero values
    const start = random(xSize, g);
    const [dxRef, dxCpu] = [Float64Array.from(start), Float64Array.from(start)];
    ref.depthwiseConv2dBackpropInput(dy, w, dxRef, info);
    cpu.depthwiseConv2dBackpropInput(dy, w, dxCpu, info);
    expectClose(dxCpu, dxRef);
    const startW = random(wSize, g);
    const [dwRef, dwCpu] = [Float64Array.from(startW), Float64Array.from(startW)];
    ref.depthwiseConv2dBackpropFilter(x, dy, dwRef, info);
    cpu.depthwiseConv2dBackpropFilter(x, dy, dwCpu, info);
    expectClose(dwCpu, dwRef);
  });
});
