import { sgemm } from './gemm';

/**
 * Note [WASM im2col and col2im]
 * The data movement around the convolution's matrix products, in WebAssembly so that the columns
 * matrix is written straight into the module's memory, next to the GEMM operands (./gemm.ts).
 * The maths is exactly that of Note [im2col] in ../src/kernels/cpu/conv2d.ts; read it first.
 * With NHWC input x [N, H, W, C], a KH×KW kernel, strides (sh, sw), dilations (dh, dw) and
 * padding (padTop, padLeft), output row r = (n·OH + oh)·OW + ow reads
 *
 *     ih = oh·sh − padTop + kh·dh,   iw = ow·sw − padLeft + kw·dw,
 *     cols[r, (kh·KW + kw)·C + c] = x[((n·H + ih)·W + iw)·C + c]     (0 when ih or iw is outside)
 *
 * so for fixed (kh, kw) the C channels are contiguous on both sides: each (row, kh, kw) is one
 * copy of C floats. When dilation is 1 and the window row lies wholly inside the image (the common
 * case), the KW·C floats of one (row, kh) are contiguous too and go in one copy.
 *
 * col2im is the adjoint: it adds dcols[r, (kh·KW + kw)·C + c] back into the x cell it came from,
 * in the same order as the JavaScript version (so the float32 sums agree bit for bit). Padding
 * cells get zeros in im2col and drop their gradient in col2im.
 *
 * Both work on a chunk of rows r0 .. r0+count (JS chooses the chunk so cols stays bounded); the
 * chunk's row i is at cols + i·KH·KW·C floats. Rows are walked with counters (ow, oh, n) rather
 * than one division per row.
 *
 * The geometry travels as 15 int32 in memory (a `geom` pointer, see setGeometry), read into
 * globals at the start of each task.
 * Globals belong to one instance and every thread has its own instance, so threads running
 * tasks of the same convolution at once do not disturb each other.
 *
 * Note [Convolution tasks]
 * The exported tasks below are the loops of Note [Running the wasm conv2d from JS]
 * (src/kernels/wasm/conv2d.ts), run by every thread at once: each takes units of work from a
 * shared counter (nextUnit) until none are left, so one call does a thread's whole share:
 *   convForward:        per unit (a chunk of rows): im2col → cols;  y[rows] = cols · Wm
 *   convBackpropInput:  per unit (whole images), per chunk: dcols = dY[rows] · Wmᵀ;  col2im → dx
 *   convBackpropFilter: per unit (a chunk c):   im2col → cols;  part[c] = colsᵀ · dY[rows of c]
 * Each thread passes its own cols buffer and sgemm workspace. Which thread takes which unit
 * varies from run to run, but no result depends on it: a unit's outputs are its own.
 */

// Set by setGeometry (names as in Conv2DInfo, kernels/conv2dInfo.ts; F = outChannels).
let H: i32 = 0;
let W: i32 = 0;
let C: i32 = 0;
let OH: i32 = 0;
let OW: i32 = 0;
let KH: i32 = 0;
let KW: i32 = 0;
let SH: i32 = 1;
let SW: i32 = 1;
let DH: i32 = 1;
let DW: i32 = 1;
let PAD_TOP: i32 = 0;
let PAD_LEFT: i32 = 0;
let F: i32 = 0;
let ROWS: i32 = 0; // N·OH·OW, the rows of the patch matrix

/**
 * Reads the geometry at `geom` into the globals: 15 int32, N, H, W, C, OH, OW, KH, KW, SH, SW,
 * DH, DW, padTop, padLeft (the pools' layout, assembly/pool2d.ts), then F.
 */
function setGeometry(geom: usize): void {
  H = load<i32>(geom, 4);
  W = load<i32>(geom, 8);
  C = load<i32>(geom, 12);
  OH = load<i32>(geom, 16);
  OW = load<i32>(geom, 20);
  KH = load<i32>(geom, 24);
  KW = load<i32>(geom, 28);
  SH = load<i32>(geom, 32);
  SW = load<i32>(geom, 36);
  DH = load<i32>(geom, 40);
  DW = load<i32>(geom, 44);
  PAD_TOP = load<i32>(geom, 48);
  PAD_LEFT = load<i32>(geom, 52);
  F = load<i32>(geom, 56);
  ROWS = load<i32>(geom) * OH * OW;
}

/**
 * The next unit of work of a task: `counter` is an int32 that every thread running the task
 * shares, reset to 0 by JS before the task starts; each call takes the next number (atomically,
 * so no two threads get the same one). Handing out units this way, rather than fixed shares,
 * keeps both threads busy to the end even when one starts late (a worker wakes in ~50 µs).
 */
function nextUnit(counter: usize): i32 {
  return atomic.add<i32>(counter, 1);
}

/**
 * Note [Few input channels: the transposed patch matrix]
 * With C = 1 (LeNet's first layer), a row of cols holds only KH·KW values and im2col is KH short
 * copies of KW floats per output pixel; sgemm then re-gathers cols four rows at a time to pack
 * it. Both are memory shuffles of tiny pieces. Transposing the whole product helps:
 *     yᵀ [F, rows] = wᵀ [F, patch] · colsᵀ [patch, rows]
 * colsᵀ's row (kh, kw, c) is the input image shifted by (kh, kw): for stride 1 its values along a
 * row of output pixels are consecutive input pixels, so im2colT copies whole output rows at a time
 * (OW floats), and sgemm packs colsᵀ as op(B) with two vector loads per step. The price is a
 * final transpose of yᵀ [F, count] into y's rows (F·count scalar moves, small for few filters).
 * Each y element is still the same dot product over the same patch order and K block, so the
 * result is bit for bit that of the untransposed product.
 */

/**
 * y = im2col(x) · w, unit by unit: unit u is rows u·step .. (u+1)·step, built in `cols`; with
 * `transposed`, as yᵀ = wᵀ · colsᵀ (the Note above), yᵀ [F, step] kept after colsᵀ in `cols`.
 */
export function convForward(
  geom: usize,
  x: usize,
  w: usize,
  y: usize,
  cols: usize,
  counter: usize,
  step: i32,
  ws: usize,
  transposed: i32,
): void {
  setGeometry(geom);
  const patch = KH * KW * C;
  const yT = cols + ((<usize>patch * <usize>step) << 2);
  for (let r = nextUnit(counter) * step; r < ROWS; r = nextUnit(counter) * step) {
    const count = min(step, ROWS - r);
    if (transposed === 0) {
      im2col(x, cols, r, count);
      sgemm(cols, patch, w, F, y + ((<usize>r * <usize>F) << 2), F, count, F, patch, 0, 0, ws);
      continue;
    }
    im2colT(x, cols, r, count);
    // op(A) = wᵀ: w is stored [patch, F], so transA with lda = F; B = colsᵀ [patch, count]
    sgemm(w, F, cols, count, yT, count, F, count, patch, 1, 0, ws);
    // y[r + i, f] = yT[f, i]
    for (let f = 0; f < F; f++) {
      let src = yT + ((<usize>f * <usize>count) << 2);
      let dst = y + ((<usize>r * <usize>F + <usize>f) << 2);
      const stride = (<usize>F) << 2;
      for (let i = 0; i < count; i++) {
        store<f32>(dst, load<f32>(src));
        src += 4;
        dst += stride;
      }
    }
  }
}

/**
 * colsᵀ for rows r0 .. r0+count, stored [patch, count]:
 *     colsT[(kh·KW + kw)·C + c, i] = x[n, ih, iw, c]   (0 where ih or iw is outside)
 * with (n, oh, ow) the coordinates of row r0 + i, as in im2col. Walks each patch entry over the
 * rows one output row (n, oh) at a time; inside a row, the in-image range of ow is computed once,
 * so the copy loop has no tests.
 */
function im2colT(x: usize, colsT: usize, r0: i32, count: i32): void {
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // the output columns ow whose input column iw = ow·SW − PAD_LEFT + kw·DW is inside [0, W)
      const shift = kw * DW - PAD_LEFT;
      const owFirst = shift >= 0 ? 0 : (-shift + SW - 1) / SW;
      const owEnd = W - 1 - shift < 0 ? owFirst : max(owFirst, min(OW, (W - 1 - shift) / SW + 1));
      for (let c = 0; c < C; c++) {
        let dst = colsT + ((<usize>((kh * KW + kw) * C + c) * <usize>count) << 2);
        let r = r0;
        const rEnd = r0 + count;
        // row r0's coordinates; then counters, as im2col does (no division per output row)
        let ow0 = r0 % OW;
        let oh = (r0 / OW) % OH;
        let n = r0 / (OW * OH);
        while (r < rEnd) {
          // this output row's part of the chunk: ow in [ow0, ow1)
          const ow1 = min(OW, ow0 + (rEnd - r));
          const ih = oh * SH - PAD_TOP + kh * DH;
          if (ih < 0 || ih >= H) {
            zero(dst, ow1 - ow0);
          } else {
            const lo = min(max(ow0, owFirst), ow1);
            const hi = max(min(ow1, owEnd), lo);
            zero(dst, lo - ow0);
            // x[n, ih, ow·SW + shift, c] for ow in [lo, hi)
            let src = x + ((<usize>(((n * H + ih) * W + lo * SW + shift) * C + c)) << 2);
            let out = dst + ((<usize>(lo - ow0)) << 2);
            if (SW === 1 && C === 1) {
              copy(out, src, hi - lo);
            } else {
              const srcStep = (<usize>(SW * C)) << 2;
              for (let ow = lo; ow < hi; ow++) {
                store<f32>(out, load<f32>(src));
                src += srcStep;
                out += 4;
              }
            }
            zero(dst + ((<usize>(hi - ow0)) << 2), ow1 - hi);
          }
          dst += (<usize>(ow1 - ow0)) << 2;
          r += ow1 - ow0;
          // the next output row starts at ow = 0
          ow0 = 0;
          if (++oh === OH) {
            oh = 0;
            n++;
          }
        }
      }
    }
  }
}

/** dx += col2im(dY · wᵀ), unit by unit (whole images), in chunks of `step` rows through `dcols`. */
export function convBackpropInput(
  geom: usize,
  dy: usize,
  w: usize,
  dx: usize,
  dcols: usize,
  counter: usize,
  unitRows: i32,
  step: i32,
  ws: usize,
): void {
  setGeometry(geom);
  const patch = KH * KW * C;
  // a unit is whole images (unitRows = a multiple of OH·OW), so two threads never add into the
  // same dx cell; inside it, chunks of at most `step` rows
  for (let r0 = nextUnit(counter) * unitRows; r0 < ROWS; r0 = nextUnit(counter) * unitRows) {
    const r1 = min(ROWS, r0 + unitRows);
    for (let r = r0; r < r1; r += step) {
      const count = min(step, r1 - r);
      // w is stored [patch, F], so transB gives wᵀ
      sgemm(dy + ((<usize>r * <usize>F) << 2), F, w, F, dcols, patch, count, patch, F, 0, 1, ws);
      col2im(dcols, dx, r, count);
    }
  }
}

/**
 * For each chunk c (rows c·step .. min((c+1)·step, rows)), one unit each: part[c] = colsᵀ · dY over
 * the chunk's rows, written to parts + c·patch·F floats. The caller adds the parts in chunk order.
 */
export function convBackpropFilter(
  geom: usize,
  x: usize,
  dy: usize,
  parts: usize,
  cols: usize,
  counter: usize,
  step: i32,
  ws: usize,
  transposed: i32,
): void {
  setGeometry(geom);
  const patch = KH * KW * C;
  for (let c = nextUnit(counter); c * step < ROWS; c = nextUnit(counter)) {
    const r = c * step;
    const count = min(step, ROWS - r);
    const part = parts + ((<usize>c * <usize>(patch * F)) << 2);
    const dyRows = dy + ((<usize>r * <usize>F) << 2);
    if (transposed !== 0) {
      // few channels (Note [Few input channels: the transposed patch matrix]): colsᵀ is built
      // directly, stored [patch, count], and is op(A) as it is; the same sums, in the same order
      im2colT(x, cols, r, count);
      sgemm(cols, count, dyRows, F, part, F, patch, F, count, 0, 0, ws);
    } else {
      im2col(x, cols, r, count);
      // cols is stored [count, patch], so transA gives colsᵀ [patch, count]
      sgemm(cols, patch, dyRows, F, part, F, patch, F, count, 1, 0, ws);
    }
  }
}

/**
 * Writes rows r0 .. r0+count of the patch matrix to cols (count × KH·KW·C float32, row-major),
 * reading the NHWC input at x. Every element is written (padding as 0), so cols need not be cleared.
 */
function im2col(x: usize, cols: usize, r0: i32, count: i32): void {
  const c4 = (<usize>C) << 2; // bytes of one (kh, kw) group of C channels
  let ow = r0 % OW;
  let oh = (r0 / OW) % OH;
  let n = r0 / (OW * OH);
  let dst = cols;
  for (let i = 0; i < count; i++) {
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * SH - PAD_TOP + kh * DH;
      if (ih < 0 || ih >= H) {
        zero(dst, KW * C);
        dst += <usize>KW * c4;
        continue;
      }
      const rowStart = x + <usize>((n * H + ih) * W) * c4; // x[n, ih, 0, 0]
      const iw0 = ow * SW - PAD_LEFT;
      if (DW === 1 && iw0 >= 0 && iw0 + KW <= W) {
        // the whole window row is inside and undilated: KW·C contiguous floats on both sides
        copy(dst, rowStart + <usize>iw0 * c4, KW * C);
        dst += <usize>KW * c4;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * SW - PAD_LEFT + kw * DW;
        if (iw < 0 || iw >= W) zero(dst, C);
        else copy(dst, rowStart + <usize>iw * c4, C);
        dst += c4;
      }
    }
    // next row: ow, then oh, then n
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        n++;
      }
    }
  }
}

/**
 * The adjoint of im2col: for rows r0 .. r0+count of dcols (laid out as im2col writes cols),
 * dx[n, ih, iw, c] += dcols[i, (kh·KW + kw)·C + c] for every cell inside the image.
 */
function col2im(dcols: usize, dx: usize, r0: i32, count: i32): void {
  const c4 = (<usize>C) << 2;
  let ow = r0 % OW;
  let oh = (r0 / OW) % OH;
  let n = r0 / (OW * OH);
  let src = dcols;
  for (let i = 0; i < count; i++) {
    for (let kh = 0; kh < KH; kh++) {
      const ih = oh * SH - PAD_TOP + kh * DH;
      if (ih < 0 || ih >= H) {
        src += <usize>KW * c4; // padding: its gradient is dropped
        continue;
      }
      const rowStart = dx + <usize>((n * H + ih) * W) * c4;
      const iw0 = ow * SW - PAD_LEFT;
      if (DW === 1 && iw0 >= 0 && iw0 + KW <= W) {
        addTo(rowStart + <usize>iw0 * c4, src, KW * C); // contiguous, as in im2col
        src += <usize>KW * c4;
        continue;
      }
      for (let kw = 0; kw < KW; kw++) {
        const iw = ow * SW - PAD_LEFT + kw * DW;
        if (iw >= 0 && iw < W) addTo(rowStart + <usize>iw * c4, src, C);
        src += c4;
      }
    }
    if (++ow === OW) {
      ow = 0;
      if (++oh === OH) {
        oh = 0;
        n++;
      }
    }
  }
}

/** dst[0 .. len) = src[0 .. len) (float32), four at a time then one at a time. */
function copy(dst: usize, src: usize, len: i32): void {
  let j = 0;
  for (; j + 4 <= len; j += 4) v128.store(dst + ((<usize>j) << 2), v128.load(src + ((<usize>j) << 2)));
  for (; j < len; j++) store<f32>(dst + ((<usize>j) << 2), load<f32>(src + ((<usize>j) << 2)));
}

/** dst[0 .. len) += src[0 .. len) (float32). */
function addTo(dst: usize, src: usize, len: i32): void {
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const at = (<usize>j) << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; j < len; j++) {
    const at = (<usize>j) << 2;
    store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
  }
}

/** dst[0 .. len) = 0 (float32). */
function zero(dst: usize, len: i32): void {
  let j = 0;
  for (; j + 4 <= len; j += 4) v128.store(dst + ((<usize>j) << 2), f32x4.splat(0));
  for (; j < len; j++) store<f32>(dst + ((<usize>j) << 2), 0);
}
