/**
 * Model.compile / fit / evaluate through the umbrella package: the methods work once 'sinapse' is
 * imported, and their options are typed (declaration merging from @sinapse/train): the
 * @ts-expect-error lines below fail `pnpm typecheck` if a misspelled name stops being an error.
 */
import * as sn from 'sinapse';
import { describe, expect, it } from 'vitest';

describe('model methods from the umbrella package', () => {
  it('compile, fit and evaluate with Keras names; typos are type errors and runtime errors', async () => {
    const m = new sn.Sequential([new sn.Dense({ units: 1, inputShape: [2] })]);
    m.compile({ optimizer: 'adamw', loss: 'mse', metrics: ['mae'] });
    const history = await m.fit(
      [
        [1, 2],
        [3, 4],
      ],
      [[1], [2]],
      { epochs: 2 },
    );
    expect(history.history.mae).toHaveLength(2);
    expect(Object.keys(await m.evaluate([[1, 2]], [[1]]))).toEqual(['loss', 'mae']);
    // @ts-expect-error a misspelled loss name
    expect(() => m.compile({ loss: 'msee' })).toThrow("did you mean 'mse'?");
    // @ts-expect-error an unknown fit option
    await expect(m.fit([[1, 2]], [[1]], { epoch: 2 })).rejects.toThrow("did you mean 'epochs'?");
  });
});
