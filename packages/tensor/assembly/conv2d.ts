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
 * The geometry is set once per convolution with convGeometry(...) and kept in globals, so the
 * per-chunk calls need only pointers (byte addresses, as for sgemm) and the chunk.
 */

// Set by convGeometry (names as in Conv2DInfo, kernels/conv2dInfo.ts).
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

/** Records the convolution's geometry for the im2col and col2im calls that follow. */
export function convGeometry(
  inHeight: i32,
  inWidth: i32,
  inChannels: i32,
  outHeight: i32,
  outWidth: i32,
  filterHeight: i32,
  filterWidth: i32,
  strideHeight: i32,
  strideWidth: i32,
  dilationHeight: i32,
  dilationWidth: i32,
  padTop: i32,
  padLeft: i32,
): void {
  H = inHeight;
  W = inWidth;
  C = inChannels;
  OH = outHeight;
  OW = outWidth;
  KH = filterHeight;
  KW = filterWidth;
  SH = strideHeight;
  SW = strideWidth;
  DH = dilationHeight;
  DW = dilationWidth;
  PAD_TOP = padTop;
  PAD_LEFT = padLeft;
}

/**
 * Writes rows r0 .. r0+count of the patch matrix to cols (count × KH·KW·C float32, row-major),
 * reading the NHWC input at x. Every element is written (padding as 0), so cols need not be cleared.
 */
export function im2col(x: usize, cols: usize, r0: i32, count: i32): void {
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
export function col2im(dcols: usize, dx: usize, r0: i32, count: i32): void {
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
