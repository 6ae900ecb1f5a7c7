/**
 * Derived seeds. Shuffling and augmentation need a fresh random stream per epoch (and per batch),
 * yet the same stream every time the same run is repeated. So each stream's seed is a hash of the
 * user's seed and its position: `mixSeed(seed, epoch)` for an epoch's order, `mixSeed(seed,
 * epoch, batch)` for one batch's augmentation. A hash rather than `seed + epoch`, so that seed 1
 * at epoch 0 and seed 0 at epoch 1 do not share a stream.
 */

/** A 32-bit hash of a list of integers (multiply-xorshift rounds, as in splitmix32). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (Math.trunc(part) >>> 0), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
