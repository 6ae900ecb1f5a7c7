import { expect, it } from 'vitest';

// Note [The tensor/ops circle] (tensor.ts): when tensor.ts is the first file imported, every op file
// is evaluated before the Tensor class is defined. This file imports nothing else first, so an op
// that used Tensor at module top level (`const ONE = new Tensor(...)`) would make this import throw.
it('importing tensor.ts first evaluates the whole tensor/ops circle without error', async () => {
  const { Tensor } = await import('./tensor');
  const x = new Tensor(new Float32Array([1, 2, 3]), [3]);
  expect(x.add(x).mul(2).sum().item()).toBe(24);
});
