/**
 * Note [WASM pooling: four channels at a time]
 * Max and average pooling, computing exactly what ../src/kernels/reference/pool2d.ts defines (read
 * it first, including Note [Padding in pooling]) in the loop order of ../src/kernels/cpu/pool2d.ts.
 * For window (n, oh, ow) and channel c, with ih = oh·sh − padTop + kh·dh, iw = ow·sw − padLeft + kw·dw
 * over the window's real cells only (padded cells are absent, not zeros):
 *
 *     max: y[n, oh, ow, c] = max  x[n, ih, iw, c]       avg: y[n, oh, ow, c] = mean x[n, ih, iw, c]
 *
 * SIMD over channels. Pooling never mixes channels, and in NHWC the C channels of one pixel are
 * adjacent in memory. So one v128 load of x[n, ih, iw, c .. c+3] brings the same cell of four
 * independent pools, and one vector operation advances all four. The window is walked once per
 * group of 4 channels, the running max (or sum) staying in a register:
 *
 *     group c:  best = [−∞ −∞ −∞ −∞]
 *               for each real cell (kh, kw):  best = keep-or-take(best, x[n, ih, iw, c .. c+3])
 *               y[n, oh, ow, c .. c+3] = best
 *
 * When C is not a multiple of 4 (LeNet-5's first pool has C = 6; with C = 1 there is nothing
 * else) the last C mod 4 channels form a partial group: the same vector steps, with only lanes
 * 0 .. C mod 4 − 1 loaded (the others zero) and stored (loadLanes, storeLanes), so nothing
 * outside the pixel is read or written. Why not a scalar tail, one float at a time: written with
 * scalar f32 compares and select, it measured 3.5 ns per cell on random data in V8 (the cost of a
 * mispredicted branch), two thirds of the time of LeNet-5's first pool for 2 of its 6 channels;
 * as a partial vector it costs what a full group does.
 *
 * Why not f32x4.max. The JavaScript kernels take a new value v over the best so far b when
 *     v > b,  or  v is NaN and b is not                                        (*)
 * so the FIRST maximal cell wins ties and the first NaN of a window wins over everything (a
 * diverging activation stays visible). f32x4.max agrees on the value in almost every case, but
 * not on signed zeros (max(−0, +0) is +0 whichever comes first, where (*) keeps the first) and it
 * cannot say WHERE the max was, which the backward pass needs. So (*) is computed as a lane mask,
 * with no branch:
 *     take = (b == b) and not (v <= b)       (b == b: b is not NaN; not (v <= b): v > b or v is NaN)
 *     best = bitselect(v, best, take)        (v in the lanes where take is all ones, best elsewhere)
 * Four lanes cost four vector instructions, where the JavaScript `if` per float mispredicts often
 * on random data (in a 2×2 window the 2nd, 3rd and 4th cells beat the best so far with
 * probability 1/2, 1/3, 1/4). Starting from −∞ keeps the first real cell's value: a finite value
 * or NaN passes (*); −∞ does not, but is then already the right value.
 *
 * Max backward: the tie rule. y is one cell of the window, so dy goes to that one cell, and on a
 * tie only to the first maximal cell in scan order (kh, then kw), as in TensorFlow (a tie has no
 * true derivative; any split of dy between the tied cells would be a valid subgradient, but
 * forward and backward must agree on one). The backward kernel replays the forward scan on x and
 * carries, next to `best`, a vector of four byte offsets `where` (the cell each lane's best came
 * from), updated with the same mask: where = bitselect(offsets of this cell, where, take). It
 * starts at the first real cell, which is right when that cell is −∞ and nothing beats it. Then
 * dx[where] += dy, one lane at a time: a scatter, which baseline WebAssembly SIMD does not have.
 * Windows are visited in the order (n, oh, ow) of the JavaScript kernels and the lanes of one
 * window hit different cells (different channels), so every dx cell receives its additions in
 * the same order as in the reference: float32 dx agrees bit for bit.
 *
 * Average: y is the float32 sum of the real cells in scan order divided by their count (the
 * reference sums in float64, so the two differ by float32 rounding of the sum). Its backward adds
 * dy / count to each real cell of the window.
 *
 * Geometry. Each call gets pointers (byte addresses, as for sgemm) and `geom`, the byte address of
 * a block of 14 i32 in Conv2DInfo's order that JS writes next to the operands (PoolGeometry below).
 * Nothing is kept in globals, so calls on different instances over one shared memory cannot step
 * on each other. Each window is clipped to the image once, [kh0, kh1) × [kw0, kw1), so the inner
 * loops test no border.
 */

/** The geometry block at `geom` (14 consecutive i32, written by src/kernels/wasm/pool2d.ts). */
@unmanaged
class PoolGeometry {
  batch: i32;
  inHeight: i32;
  inWidth: i32;
  channels: i32;
  outHeight: i32;
  outWidth: i32;
  poolHeight: i32;
  poolWidth: i32;
  strideHeight: i32;
  strideWidth: i32;
  dilationHeight: i32;
  dilationWidth: i32;
  padTop: i32;
  padLeft: i32;
}

// What pool() does with each window.
const MAX: i32 = 0;
const MAX_BACKWARD: i32 = 1;
const AVG: i32 = 2;
const AVG_BACKWARD: i32 = 3;

/** y = maxPool(x): x [N, H, W, C] and y [N, OH, OW, C] float32 at byte addresses x and y. */
export function maxPool2d(x: usize, y: usize, geom: usize): void {
  pool(MAX, geom, x, y, 0);
}

/** dx += the gradient of maxPool at x for dy (see the Note for the tie rule). */
export function maxPool2dBackward(dy: usize, x: usize, dx: usize, geom: usize): void {
  pool(MAX_BACKWARD, geom, x, dy, dx);
}

/** y = avgPool(x), the mean of each window's real cells. */
export function avgPool2d(x: usize, y: usize, geom: usize): void {
  pool(AVG, geom, x, y, 0);
}

/** dx += dy / count on each real cell of each window. */
export function avgPool2dBackward(dy: usize, dx: usize, geom: usize): void {
  pool(AVG_BACKWARD, geom, dx, dy, 0);
}

/**
 * Visits the windows in order (n, oh, ow), clips each to the image, and hands it to the kind's
 * window function. `image` is the NHWC tensor the windows lie on (x, or dx for the average's
 * backward), `pooled` the [N, OH, OW, C] one (y or dy), `dx` the gradient that max backward
 * scatters into (laid out as x).
 */
function pool(kind: i32, geom: usize, image: usize, pooled: usize, dx: usize): void {
  // copied into locals: stores to y or dx could alias the block, so the loads would not be hoisted
  const g = changetype<PoolGeometry>(geom);
  const N = g.batch;
  const H = g.inHeight;
  const W = g.inWidth;
  const C = g.channels;
  const OH = g.outHeight;
  const OW = g.outWidth;
  const KH = g.poolHeight;
  const KW = g.poolWidth;
  const SH = g.strideHeight;
  const SW = g.strideWidth;
  const DH = g.dilationHeight;
  const DW = g.dilationWidth;
  const pixel = (<usize>C) << 2; // bytes of one pixel's C channels
  const rowStep = <usize>(DH * W) * pixel; // bytes between the window's rows
  const colStep = <usize>DW * pixel; // bytes between the window's columns
  let out = pooled;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * SH - g.padTop;
      const kh0 = firstTap(ih0, DH);
      const rows = endTap(ih0, DH, KH, H) - kh0;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * SW - g.padLeft;
        const kw0 = firstTap(iw0, DW);
        const cols = endTap(iw0, DW, KW, W) - kw0;
        // byte offset of the window's first real cell, x[n, ih0 + kh0·dh, iw0 + kw0·dw, 0]
        const first = <usize>((n * H + ih0 + kh0 * DH) * W + iw0 + kw0 * DW) * pixel;
        // one branch per window, always the same way: the windows' loops stay free of it
        if (kind === MAX) {
          maxWindow(image + first, rows, cols, rowStep, colStep, out, C);
        } else if (kind === MAX_BACKWARD) {
          if (rows > 0 && cols > 0) maxBackwardWindow(image, first, rows, cols, rowStep, colStep, out, dx, C);
        } else if (kind === AVG) {
          avgWindow(image + first, rows, cols, rowStep, colStep, out, C);
        } else {
          avgBackwardWindow(image + first, rows, cols, rowStep, colStep, out, C);
        }
        out += pixel;
      }
    }
  }
}

/**
 * The first tap k of a window whose taps sit at origin + k·d that lands inside the image
 * (origin + k·d ≥ 0): 0, or ⌈−origin / d⌉ when the window starts in the padding.
 */
function firstTap(origin: i32, d: i32): i32 {
  return origin < 0 ? (d - 1 - origin) / d : 0;
}

/** One past the last tap k < taps with origin + k·d < size (never below firstTap). */
function endTap(origin: i32, d: i32, taps: i32, size: i32): i32 {
  const inside = size - origin; // > 0 for every window of 'same' or 'valid' padding
  const end = inside > 0 ? min(taps, (inside + d - 1) / d) : 0;
  return max(end, firstTap(origin, d));
}

/**
 * Channels c .. c+lanes−1 of one pixel (lanes = 1 to 4) into lanes 0 .. lanes−1, zeros above.
 * A partial group reads only its own floats: the last pixel of x may end the memory in use.
 */
function loadLanes(p: usize, lanes: i32): v128 {
  if (lanes === 4) return v128.load(p);
  if (lanes === 1) return v128.load32_zero(p);
  const two = v128.load64_zero(p);
  return lanes === 2 ? two : v128.load32_lane(p, two, 2, 8);
}

/** Stores lanes 0 .. lanes−1 of v as channels c .. c+lanes−1 of one pixel, and nothing else. */
function storeLanes(p: usize, v: v128, lanes: i32): void {
  if (lanes === 4) {
    v128.store(p, v);
  } else if (lanes === 1) {
    v128.store32_lane(p, v, 0);
  } else {
    v128.store64_lane(p, v, 0);
    if (lanes === 3) v128.store32_lane(p, v, 2, 8);
  }
}

/** The mask of rule (*) in the Note: all ones in the lanes where v replaces best. */
function takes(v: v128, best: v128): v128 {
  return v128.andnot(f32x4.eq(best, best), f32x4.le(v, best));
}

/**
 * out[c] = the max over the window's rows × cols real cells, the first at `cell`, rows rowStep
 * and columns colStep bytes apart. An empty window (impossible with dilation 1) gives −∞.
 */
function maxWindow(cell: usize, rows: i32, cols: i32, rowStep: usize, colStep: usize, out: usize, C: i32): void {
  for (let c = 0; c < C; c += 4) {
    const lanes = min(4, C - c);
    let best = f32x4.splat(f32.NEGATIVE_INFINITY);
    let row = cell + ((<usize>c) << 2);
    for (let kh = 0; kh < rows; kh++) {
      let at = row;
      for (let kw = 0; kw < cols; kw++) {
        const v = loadLanes(at, lanes);
        best = v128.bitselect(v, best, takes(v, best));
        at += colStep;
      }
      row += rowStep;
    }
    storeLanes(out + ((<usize>c) << 2), best, lanes);
  }
}

/**
 * dx[first maximal cell] += dy[c] for each channel c of one window (at least one real cell).
 * `first` is the byte offset of the window's first real cell in x and, the layouts being the
 * same, in dx.
 */
function maxBackwardWindow(
  x: usize,
  first: usize,
  rows: i32,
  cols: i32,
  rowStep: usize,
  colStep: usize,
  dy: usize,
  dx: usize,
  C: i32,
): void {
  // byte offsets of the four channels of a group, relative to the first of them
  const channels = i32x4(0, 4, 8, 12);
  const colStepV = i32x4.splat(<i32>colStep);
  for (let c = 0; c < C; c += 4) {
    const lanes = min(4, C - c);
    let rowOffset = first + ((<usize>c) << 2);
    let best = f32x4.splat(f32.NEGATIVE_INFINITY);
    let where = i32x4.add(i32x4.splat(<i32>rowOffset), channels);
    for (let kh = 0; kh < rows; kh++) {
      let offsets = i32x4.add(i32x4.splat(<i32>rowOffset), channels);
      let at = x + rowOffset;
      for (let kw = 0; kw < cols; kw++) {
        const v = loadLanes(at, lanes);
        const take = takes(v, best);
        best = v128.bitselect(v, best, take);
        where = v128.bitselect(offsets, where, take);
        offsets = i32x4.add(offsets, colStepV);
        at += colStep;
      }
      rowOffset += rowStep;
    }
    // the scatter, lane by lane: a different cell of dx for each channel
    const d = loadLanes(dy + ((<usize>c) << 2), lanes);
    addAt(dx + <usize>i32x4.extract_lane(where, 0), f32x4.extract_lane(d, 0));
    if (lanes > 1) addAt(dx + <usize>i32x4.extract_lane(where, 1), f32x4.extract_lane(d, 1));
    if (lanes > 2) addAt(dx + <usize>i32x4.extract_lane(where, 2), f32x4.extract_lane(d, 2));
    if (lanes > 3) addAt(dx + <usize>i32x4.extract_lane(where, 3), f32x4.extract_lane(d, 3));
  }
}

/** *p += v (float32). */
function addAt(p: usize, v: f32): void {
  store<f32>(p, load<f32>(p) + v);
}

/** out[c] = (float32 sum of the window's real cells, in scan order) / their count. */
function avgWindow(cell: usize, rows: i32, cols: i32, rowStep: usize, colStep: usize, out: usize, C: i32): void {
  const count = f32x4.splat(<f32>(rows * cols));
  for (let c = 0; c < C; c += 4) {
    const lanes = min(4, C - c);
    let sum = f32x4.splat(0);
    let row = cell + ((<usize>c) << 2);
    for (let kh = 0; kh < rows; kh++) {
      let at = row;
      for (let kw = 0; kw < cols; kw++) {
        sum = f32x4.add(sum, loadLanes(at, lanes));
        at += colStep;
      }
      row += rowStep;
    }
    storeLanes(out + ((<usize>c) << 2), f32x4.div(sum, count), lanes);
  }
}

/** dx += dy[c] / count on each real cell of the window, the first at `cell` (in dx). */
function avgBackwardWindow(cell: usize, rows: i32, cols: i32, rowStep: usize, colStep: usize, dy: usize, C: i32): void {
  const count = f32x4.splat(<f32>(rows * cols));
  for (let c = 0; c < C; c += 4) {
    const lanes = min(4, C - c);
    const share = f32x4.div(loadLanes(dy + ((<usize>c) << 2), lanes), count);
    let row = cell + ((<usize>c) << 2);
    for (let kh = 0; kh < rows; kh++) {
      let at = row;
      for (let kw = 0; kw < cols; kw++) {
        storeLanes(at, f32x4.add(loadLanes(at, lanes), share), lanes);
        at += colStep;
      }
      row += rowStep;
    }
  }
}
