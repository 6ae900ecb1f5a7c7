/**
 * The judge itself: a harness that passes everything proves nothing, so each rule is shown to
 * catch what it is for, on targets that misbehave on purpose.
 */
import { ValueError } from '@sinapse/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseAt, runCase } from './harness';
import type { FuzzCase, FuzzTarget } from './target';
import { sinapseModelTarget } from './targets/sinapseModel';

const c: FuzzCase = { files: { 'model.json': new TextEncoder().encode('{"units": 3}') }, description: 'a test' };

function target(run: () => Promise<void>): FuzzTarget {
  return { name: 'test', arbitrary: fc.constant(c), run };
}

describe('runCase judges', () => {
  it('a load, and a typed error naming the file or a field, as fine', async () => {
    expect(
      (
        await runCase(
          target(async () => {}),
          c,
        )
      ).verdict.kind,
    ).toBe('loaded');
    const file = target(async () => {
      throw new ValueError('read: model.json is truncated');
    });
    expect((await runCase(file, c)).verdict.kind).toBe('clean');
    const field = target(async () => {
      throw new ValueError("Dense 'fc': units must be positive");
    });
    expect((await runCase(field, c)).verdict.kind).toBe('clean');
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'charAt')"), /untyped error TypeError/],
    ['a RangeError', new RangeError('Invalid typed array length: 40000000000'), /untyped error RangeError/],
    ['a plain Error', new Error('model.json is bad'), /untyped error Error/],
    ['a typed error naming nothing', new ValueError('invalid input'), /the message names no file or field/],
  ])('%s as a failure', async (_, error, why) => {
    const r = await runCase(
      target(async () => {
        throw error;
      }),
      c,
    );
    expect(r.verdict).toMatchObject({ kind: 'failure', why: expect.stringMatching(why) });
  });

  it('an allocation far beyond the input as a failure, even when a clean error follows', async () => {
    const r = await runCase(
      target(async () => {
        const big = new Float32Array(4 * 2 ** 20); // 16 MiB for 12 bytes of input
        big[0] = 1;
        throw new ValueError(`model.json: too big (${big[0]})`);
      }),
      c,
    );
    expect(r.allocation.largest).toBe(16 * 2 ** 20);
    expect(r.verdict).toMatchObject({
      kind: 'failure',
      why: expect.stringMatching(/^allocated 16,777,216 bytes for 12 bytes/),
    });
  });
});

describe('the targets make their cases', () => {
  // seed 20261208, case 12885 of a 50,000-case run: a mutated model.json renamed a weights file
  // '__proto__', and the reshard mutation found Object's prototype under that name in the files
  // (`files[n] !== undefined`), so making the case threw RangeError and killed the worker
  it("sinapse-model's reshard skips a weights file named '__proto__' (own keys only)", () => {
    const made = caseAt(sinapseModelTarget, 20261208, 12885);
    expect(made.description).toContain("→ '__proto__'");
  });
});
