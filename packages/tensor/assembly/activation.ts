/**
 * Note [WASM bias + activation: four lanes, no branches]
 * relu and the fused bias + activation of a layer (definitions: Note [Fused bias and activation]
 * in ../src/kernels/reference/activation.ts). They are memory-bound, one or two reads and a write
 * per float; what makes the JavaScript loops slow is the branch of relu, which mispredicts on
 * about half of the elements. Here every choice is a lane operation, four floats at a time:
 *
 *   relu            y = f32x4.max(x, 0)         NaN stays NaN, max(−0, +0) = +0, as Math.max
 *   relu backward   dx += dy & (x > 0)          f32x4.gt gives all-ones lanes where x > 0 (false
 *                                               at 0 and at NaN), and the AND keeps dy there
 *   bias + act      y = max(y + bias, floor)    floor = 0 for relu, −∞ for linear: max(v, −∞) = v
 *   its backward    dpre = dy & (mask | keep)   mask = (y > 0); keep = all ones for linear
 *
 * The bias tile. Element i of y (rows of C channels) adds bias[i mod C]. A vector of 4 floats
 * starting at i would straddle two rows whenever C is not a multiple of 4 (LeNet has C = 6), so
 * JS passes a tile: the bias repeated P/C times, P = lcm(C, 4). Then y is walked in repeats of P
 * floats, and vector j of a repeat always adds tile[j .. j+4]: P is a multiple of 4 and so is every
 * repeat's start. The last, partial repeat (fewer than P floats, still whole rows) takes vectors
 * while 4 floats remain, then single floats.
 *
 * The bias gradient sums dpre over all rows, N·OH·OW of them (50,176 for LeNet's first conv at
 * batch 64). One float32 running sum per channel would carry an error of up to (rows − 1)·u·T
 * (u = 2⁻²⁴, T = Σ |dpre| of that channel; Higham §4.2), about 3e-3·T there. Instead:
 *   - lane sums: sums32 holds P float32 partial sums, one per tile position, each getting one
 *     term per repeat (P/C partial sums per channel, in SIMD);
 *   - blocks: every BLOCK = 16 repeats, the partial sums are added into float64 sums64 and reset,
 *     so no float32 partial ever holds more than 16 terms.
 * The float32 error is then at most 15·u·T ≈ 9e-7·T, whatever the batch size; the float64 sums of
 * the blocks add at most rows·2⁻⁵³·T, and JS adds the P/C float64 partials of each channel and
 * rounds once into dbias. The flush is P conversions per 16·P floats of work.
 *
 * Pointers are byte addresses (as for sgemm); sizes count floats. Nothing is kept in globals, so
 * instances over one shared memory (threads) cannot step on each other.
 */

/** y = max(x, 0) over n floats; x and y may be the same address (in place). */
export function relu(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = (<usize>n) << 2;
  const vectorEnd = (<usize>(n & ~3)) << 2;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) v128.store(y + i, f32x4.max(v128.load(x + i), zero));
  for (; i < end; i += 4) store<f32>(y + i, max<f32>(load<f32>(x + i), 0));
}

/** dx += dy where x > 0 (0 at x = 0 and at NaN), over n floats. */
export function reluBackward(dy: usize, x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = (<usize>n) << 2;
  const vectorEnd = (<usize>(n & ~3)) << 2;
  let i: usize = 0;
  for (; i < vectorEnd; i += 16) {
    const taken = v128.and(v128.load(dy + i), f32x4.gt(v128.load(x + i), zero));
    v128.store(dx + i, f32x4.add(v128.load(dx + i), taken));
  }
  for (; i < end; i += 4) {
    store<f32>(dx + i, load<f32>(dx + i) + select<f32>(load<f32>(dy + i), 0, load<f32>(x + i) > 0));
  }
}

/**
 * y[i] = act(y[i] + tile[i mod period]) over n floats, in place; act is relu when `isRelu` is 1,
 * the identity when 0. tile: the bias repeated to `period` = lcm(C, 4) floats (see the Note).
 */
export function biasActivation(y: usize, tile: usize, n: i32, period: i32, isRelu: i32): void {
  const floor = f32x4.splat(isRelu ? 0 : f32.NEGATIVE_INFINITY);
  const floorScalar: f32 = isRelu ? 0 : f32.NEGATIVE_INFINITY;
  const end = (<usize>n) << 2;
  const repeat = (<usize>period) << 2;
  let o: usize = 0;
  for (; o + repeat <= end; o += repeat) {
    for (let j: usize = 0; j < repeat; j += 16) {
      const v = f32x4.add(v128.load(y + o + j), v128.load(tile + j));
      v128.store(y + o + j, f32x4.max(v, floor));
    }
  }
  // the last, partial repeat: whole vectors, then single floats
  const rest = end - o;
  let j: usize = 0;
  for (; j + 16 <= rest; j += 16) {
    const v = f32x4.add(v128.load(y + o + j), v128.load(tile + j));
    v128.store(y + o + j, f32x4.max(v, floor));
  }
  for (; j < rest; j += 4) store<f32>(y + o + j, max<f32>(load<f32>(y + o + j) + load<f32>(tile + j), floorScalar));
}

/**
 * The backward of biasActivation over n floats, for the upstream gradient dy and the output y:
 *   dpre[i] = dy[i] where y[i] > 0, else 0 (isRelu = 1);  dpre[i] = dy[i] (isRelu = 0);
 * dpre may be dy itself. With `withSums` = 1 it also sums dpre per tile position: sums64[j] =
 * Σ dpre[i] over i mod period = j, in float32 blocks of 16 repeats added into float64 (see the
 * Note). sums32 (period f32) and sums64 (period f64, 8-byte aligned) are workspace: both are set
 * to zero here first.
 */
export function biasActivationBackward(
  dy: usize,
  y: usize,
  dpre: usize,
  sums32: usize,
  sums64: usize,
  n: i32,
  period: i32,
  isRelu: i32,
  withSums: i32,
): void {
  const zero = f32x4.splat(0);
  // linear: every lane is kept; relu: the lanes where y > 0
  const keep = i32x4.splat(isRelu ? 0 : -1);
  const end = (<usize>n) << 2;
  const repeat = (<usize>period) << 2;
  if (!withSums) {
    // every 16-byte step lines up with nothing but itself: one flat pass
    const vectorEnd = (<usize>(n & ~3)) << 2;
    let i: usize = 0;
    for (; i < vectorEnd; i += 16) {
      const mask = v128.or(f32x4.gt(v128.load(y + i), zero), keep);
      v128.store(dpre + i, v128.and(v128.load(dy + i), mask));
    }
    for (; i < end; i += 4) {
      store<f32>(dpre + i, select<f32>(load<f32>(dy + i), 0, !isRelu || load<f32>(y + i) > 0));
    }
    return;
  }
  const BLOCK: i32 = 16;
  for (let j: usize = 0; j < repeat; j += 16) v128.store(sums32 + j, zero);
  for (let j: usize = 0; j < repeat << 1; j += 16) v128.store(sums64 + j, zero);
  let o: usize = 0;
  let repeats: i32 = 0;
  for (; o + repeat <= end; o += repeat) {
    for (let j: usize = 0; j < repeat; j += 16) {
      const at = o + j;
      const mask = v128.or(f32x4.gt(v128.load(y + at), zero), keep);
      const d = v128.and(v128.load(dy + at), mask);
      v128.store(dpre + at, d);
      v128.store(sums32 + j, f32x4.add(v128.load(sums32 + j), d));
    }
    if (++repeats === BLOCK) {
      flush(sums32, sums64, period);
      repeats = 0;
    }
  }
  // the last, partial repeat: whole vectors, then single floats, into the same partial sums
  const rest = end - o;
  let j: usize = 0;
  for (; j + 16 <= rest; j += 16) {
    const at = o + j;
    const mask = v128.or(f32x4.gt(v128.load(y + at), zero), keep);
    const d = v128.and(v128.load(dy + at), mask);
    v128.store(dpre + at, d);
    v128.store(sums32 + j, f32x4.add(v128.load(sums32 + j), d));
  }
  for (; j < rest; j += 4) {
    const d = select<f32>(load<f32>(dy + o + j), 0, !isRelu || load<f32>(y + o + j) > 0);
    store<f32>(dpre + o + j, d);
    store<f32>(sums32 + j, load<f32>(sums32 + j) + d);
  }
  flush(sums32, sums64, period);
}

/**
 * sums64[j] += sums32[j] (the conversion is exact: float64 holds every float32), then sums32[j] = 0,
 * for j < period. Called once per 16 repeats of the tile, so the call itself costs nothing measurable.
 */
function flush(sums32: usize, sums64: usize, period: i32): void {
  for (let j: usize = 0; j < <usize>period; j++) {
    const at64 = sums64 + (j << 3);
    store<f64>(at64, load<f64>(at64) + <f64>load<f32>(sums32 + (j << 2)));
    store<f32>(sums32 + (j << 2), 0);
  }
}
