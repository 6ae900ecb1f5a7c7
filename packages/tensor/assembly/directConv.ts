/**
 * Note [Direct convolution for few input channels]
 * LeNet's first layer (x [N, 28, 28, 1], a 5×5 kernel, 6 filters, 'same') spent most of its
 * forward pass moving data: im2colT writes the patch matrix colsᵀ [25, pixels] (25 shifted copies
 * of the image), sgemm packs it again, and the product has only F = 6 rows, so a third of its 4×8
 * tiles are padding. With stride 1 and dilation 1 the convolution can read the image directly:
 *
 *     y[n, oh, ow, f] = Σ_{kh, kw, c} xp[c, oh + kh, ow + kw] · w[kh, kw, c, f]
 *
 * where xp [C, HP, WP] is image n, zero-padded and made planar (channel-major) once per image, so
 * that for fixed (kh, kw, c) the values under 8 consecutive output pixels are 8 consecutive floats:
 * two v128 loads. A register tile is 8 pixels × 3 filters (six f32x4 accumulators, pixels in the
 * lanes); each tap costs 2 loads, 3 broadcast weights, 6 multiplies and 6 adds, and nothing is
 * written but y. The filters go 3 at a time (6 = 2 groups; the packed weights are padded with zero
 * filters to a multiple of 3, whose results are not stored), pixels 8 at a time along a row (the
 * lanes past OW compute garbage from xp's slack columns, and are not stored either).
 *
 * Bit for bit the GEMM path's result: every y element is the same float32 sum, started at 0 and
 * taken over the patch in the same order (kh, kw, c) with a multiply then an add, padded cells
 * included (their x is 0 in both). So conv1 gives the same bits whichever path runs.
 *
 * Work is split by image: a unit is one image n (all its rows), taken from the shared counter as
 * the other convolution tasks do (Note [Convolution tasks] in ./conv2d.ts); each thread has its own
 * xp buffer. The geometry block is the conv one (setGeometry in ./conv2d.ts reads the same layout).
 */

/** Pixels per register tile (two f32x4 of lanes) and filters per tile. */
const TILE_PIXELS: i32 = 8;
const TILE_FILTERS: i32 = 3;

/**
 * The padded planar image's row length for output width `ow` and kernel width `kw`: a whole number
 * of 8-pixel tiles plus the kernel's reach, so a tile's loads never leave its row.
 */
export function directRowLength(ow: i32, kw: i32): i32 {
  return ((ow + TILE_PIXELS - 1) / TILE_PIXELS) * TILE_PIXELS + kw - 1;
}

/**
 * y = conv(x, w) for stride 1, dilation 1, unit by unit (one image per unit).
 *   geom: the conv geometry (15 int32 + the work counter), see ./conv2d.ts's setGeometry;
 *   x [N, H, W, C] NHWC; wp [KH·KW·C, FP]: w with its filters padded to FP = a multiple of 3;
 *   y [N, OH, OW, F]; xp: this thread's [C, OH + KH − 1, directRowLength(OW, KW)] scratch.
 */
export function convForwardDirect(
  geom: usize,
  x: usize,
  wp: usize,
  y: usize,
  xp: usize,
  counter: usize,
  FP: i32,
): void {
  const N = load<i32>(geom);
  const H = load<i32>(geom, 4);
  const W = load<i32>(geom, 8);
  const C = load<i32>(geom, 12);
  const OH = load<i32>(geom, 16);
  const OW = load<i32>(geom, 20);
  const KH = load<i32>(geom, 24);
  const KW = load<i32>(geom, 28);
  const padTop = load<i32>(geom, 48);
  const padLeft = load<i32>(geom, 52);
  const F = load<i32>(geom, 56);
  const HP = OH + KH - 1;
  const WP = directRowLength(OW, KW);
  for (let n = atomic.add<i32>(counter, 1); n < N; n = atomic.add<i32>(counter, 1)) {
    padImage(x, xp, n, H, W, C, HP, WP, padTop, padLeft);
    for (let oh = 0; oh < OH; oh++) {
      // y row (n, oh): pixel ow, filter f at ((n·OH + oh)·OW + ow)·F + f
      const yRow = y + ((<usize>((n * OH + oh) * OW) * <usize>F) << 2);
      for (let ow = 0; ow < OW; ow += TILE_PIXELS) {
        const pixels = min(TILE_PIXELS, OW - ow);
        // xp[c, oh + kh, ow + kw] for the tile's first pixel, at (kh, kw, c) = 0
        const xTile = xp + ((<usize>(oh * WP + ow)) << 2);
        const yTile = yRow + ((<usize>(ow * F)) << 2);
        for (let f0 = 0; f0 < F; f0 += TILE_FILTERS) {
          tile(
            xTile,
            wp + ((<usize>f0) << 2),
            yTile + ((<usize>f0) << 2),
            KH,
            KW,
            C,
            HP,
            WP,
            FP,
            F,
            pixels,
            min(TILE_FILTERS, F - f0),
          );
        }
      }
    }
  }
}

/**
 * xp[c, i, j] = x[n, i − padTop, j − padLeft, c], 0 outside the image: image n padded and planar.
 */
function padImage(
  x: usize,
  xp: usize,
  n: i32,
  H: i32,
  W: i32,
  C: i32,
  HP: i32,
  WP: i32,
  padTop: i32,
  padLeft: i32,
): void {
  const plane = HP * WP;
  memory.fill(xp, 0, (<usize>(C * plane)) << 2);
  const i0 = max(0, padTop);
  const i1 = min(HP, H + padTop);
  const j0 = max(0, padLeft);
  const j1 = min(WP, W + padLeft);
  for (let i = i0; i < i1; i++) {
    // x[n, i − padTop, j − padLeft, c] at ((n·H + ih)·W + iw)·C + c
    const src = x + ((<usize>(((n * H + i - padTop) * W + j0 - padLeft) * C)) << 2);
    for (let c = 0; c < C; c++) {
      let s = src + ((<usize>c) << 2);
      let d = xp + ((<usize>(c * plane + i * WP + j0)) << 2);
      for (let j = j0; j < j1; j++) {
        store<f32>(d, load<f32>(s));
        s += (<usize>C) << 2;
        d += 4;
      }
    }
  }
}

/**
 * One register tile: 8 pixels (lanes of two vectors) × 3 filters, summed over the patch in the
 * GEMM's order (kh, kw, c), then the first `pixels` × `filters` values stored into y.
 */
// biome-ignore format: the tile's inputs, then its sizes
function tile(
  xTile: usize, wTile: usize, yTile: usize,
  KH: i32, KW: i32, C: i32, HP: i32, WP: i32, FP: i32, F: i32, pixels: i32, filters: i32,
): void {
  let a0 = f32x4.splat(0); let a1 = f32x4.splat(0); // filter 0: pixels 0-3, 4-7
  let b0 = f32x4.splat(0); let b1 = f32x4.splat(0); // filter 1
  let c0 = f32x4.splat(0); let c1 = f32x4.splat(0); // filter 2
  let w = wTile;
  const plane = (<usize>(HP * WP)) << 2;
  const wStep = (<usize>FP) << 2;
  if (C === 1) {
    // one channel: a kernel row's taps are consecutive floats of xp, so step a pointer along them
    for (let kh = 0; kh < KH; kh++) {
      let xs = xTile + ((<usize>(kh * WP)) << 2);
      const end = xs + ((<usize>KW) << 2);
      for (; xs < end; xs += 4) {
        const x0 = v128.load(xs);
        const x1 = v128.load(xs, 16);
        const w0 = v128.load32_splat(w);
        const w1 = v128.load32_splat(w, 4);
        const w2 = v128.load32_splat(w, 8);
        a0 = f32x4.add(a0, f32x4.mul(x0, w0)); a1 = f32x4.add(a1, f32x4.mul(x1, w0));
        b0 = f32x4.add(b0, f32x4.mul(x0, w1)); b1 = f32x4.add(b1, f32x4.mul(x1, w1));
        c0 = f32x4.add(c0, f32x4.mul(x0, w2)); c1 = f32x4.add(c1, f32x4.mul(x1, w2));
        w += wStep;
      }
    }
  } else {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        let xs = xTile + ((<usize>(kh * WP + kw)) << 2);
        for (let c = 0; c < C; c++) {
          const x0 = v128.load(xs);
          const x1 = v128.load(xs, 16);
          const w0 = v128.load32_splat(w);
          const w1 = v128.load32_splat(w, 4);
          const w2 = v128.load32_splat(w, 8);
          a0 = f32x4.add(a0, f32x4.mul(x0, w0)); a1 = f32x4.add(a1, f32x4.mul(x1, w0));
          b0 = f32x4.add(b0, f32x4.mul(x0, w1)); b1 = f32x4.add(b1, f32x4.mul(x1, w1));
          c0 = f32x4.add(c0, f32x4.mul(x0, w2)); c1 = f32x4.add(c1, f32x4.mul(x1, w2));
          xs += plane;
          w += wStep;
        }
      }
    }
  }
  // y[pixel p, filter f] at yTile + (p·F + f)·4; lanes are pixels
  const stride = (<usize>F) << 2;
  storeColumn(yTile, stride, a0, a1, pixels);
  if (filters > 1) storeColumn(yTile + 4, stride, b0, b1, pixels);
  if (filters > 2) storeColumn(yTile + 8, stride, c0, c1, pixels);
}

/** Stores one filter's values for the tile's first `pixels` pixels, `stride` bytes apart. */
function storeColumn(dst: usize, stride: usize, lo: v128, hi: v128, pixels: i32): void {
  if (pixels === TILE_PIXELS) {
    store<f32>(dst, f32x4.extract_lane(lo, 0));
    store<f32>(dst + stride, f32x4.extract_lane(lo, 1));
    store<f32>(dst + 2 * stride, f32x4.extract_lane(lo, 2));
    store<f32>(dst + 3 * stride, f32x4.extract_lane(lo, 3));
    store<f32>(dst + 4 * stride, f32x4.extract_lane(hi, 0));
    store<f32>(dst + 5 * stride, f32x4.extract_lane(hi, 1));
    store<f32>(dst + 6 * stride, f32x4.extract_lane(hi, 2));
    store<f32>(dst + 7 * stride, f32x4.extract_lane(hi, 3));
    return;
  }
  // a row's last, partial tile: spill the lanes and store the real pixels
  for (let p = 0; p < pixels; p++) {
    const v = p < 4 ? extract(lo, p) : extract(hi, p - 4);
    store<f32>(dst + <usize>p * stride, v);
  }
}

/** Lane `i` (0-3) of `v`. */
function extract(v: v128, i: i32): f32 {
  if (i === 0) return f32x4.extract_lane(v, 0);
  if (i === 1) return f32x4.extract_lane(v, 1);
  if (i === 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}
