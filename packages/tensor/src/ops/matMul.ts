import { record } from '../autograd/record';
import { allocate, type DType, promoteTypes, type TypedArray } from '../dtype';
import { assertShape, ShapeError } from '../errors';
import { getBackend } from '../kernels/index';
import { broadcastShapes, formatShape, type Shape, sizeOf, stridesOf } from '../shape';
import { Tensor } from '../tensor';

/**
 * Matrix product of the last two dimensions, batched over the leading ones.
 *
 *   y[..., i, j] = Σ_p op(a)[..., i, p] · op(b)[..., p, j]
 *
 * where op(a) is a, or a with its last two dimensions swapped when `transposeA` is set (same
 * for b). A fully connected layer is `matMul(x, w)` with x [batch, inUnits] and w [inUnits, units].
 *
 * Shape: op(a) is [...batchA, m, k] and op(b) is [...batchB, k, n]; y is [...batch, m, n] where
 * `batch = broadcast(batchA, batchB)` with NumPy rules (aligned from the right, each dimension
 * equal or 1), as in tf.matMul and torch.matmul. So [2, 3, 4]·[4, 5] is [2, 3, 5] and
 * [2, 1, 3, 4]·[5, 4, 6] is [2, 5, 3, 6].
 * Both operands must have rank ≥ 2 (as in tf.matMul): a vector is ambiguous (row or column?), so
 * reshape it to [1, k] or [k, 1] yourself. Output dtype: float64 if either input is.
 *
 * @param a          shape [...batchA, m, k] ([..., k, m] if transposeA)
 * @param b          shape [...batchB, k, n] ([..., n, k] if transposeB)
 * @param transposeA use a's last two dimensions swapped. Default false.
 * @param transposeB use b's last two dimensions swapped. Default false.
 * @throws ShapeError if a rank is below 2, the inner dimensions differ, or the batch dimensions
 *   do not broadcast.
 * @example
 * matMul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray();  // [[17], [39]]
 * matMul(tensor([[1, 2], [3, 4]]), tensor([[5, 6]]), false, true).toArray(); // [[17], [39]]
 */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  const plan = planMatMul('matMul', a, b, transposeA, transposeB);
  const y = runMatMul(plan);
  return record('matMul', [plan.a, plan.b], y, (dy) => matMulGrads(plan, dy.cast(plan.dtype).data));
}

// ---- the steps of matMul, shared with fusedMatMul -----------------------------------------------
// Exported for fusedMatMul.ts only (ops/index.ts does not list them, so the package does not export
// them). They stay here rather than in internal/ because they are matMul itself: its checks, its
// forward and its backward; fusedMatMul is these steps plus the bias + activation epilogue.

/**
 * A validated matrix product, ready for the kernels: the sizes, the batch shapes, and the operands
 * in the dtype it computes in (a and b themselves, or their casts: the gradient flows through
 * those). Made by {@link planMatMul}; matMul and fusedMatMul share it.
 */
export interface MatMulPlan {
  readonly a: Tensor;
  readonly b: Tensor;
  readonly dtype: DType;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batchA: Shape;
  readonly batchB: Shape;
  readonly batch: Shape;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** [...batch, m, n] */
  readonly outShape: Shape;
  /** The op the plan is for, named in errors. */
  readonly op: string;
}

/**
 * Checks the operands as documented on {@link matMul} (errors name `op`) and works out the sizes.
 * `computeDtype` defaults to the promotion of a's and b's dtypes.
 */
export function planMatMul(
  op: string,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  computeDtype?: DType,
): MatMulPlan {
  assertShape(
    a.rank >= 2 && b.rank >= 2,
    () =>
      `${op}: both operands must have rank >= 2 (reshape a vector to [1, k] or [k, 1]), ` +
      `but got a with shape ${formatShape(a.shape)} (rank ${a.rank}) and b with shape ${formatShape(b.shape)} (rank ${b.rank})`,
  );
  const [m, ka] = matrixDims(a.shape, transposeA);
  const [kb, n] = matrixDims(b.shape, transposeB);
  assertShape(
    ka === kb,
    () =>
      `${op}: inner dimensions must match: a is ${formatShape(a.shape)}${transposeA ? ' (transposed)' : ''} (k=${ka}) ` +
      `and b is ${formatShape(b.shape)}${transposeB ? ' (transposed)' : ''} (k=${kb})`,
  );
  const batch = broadcastBatch(op, a.shape, b.shape);
  const dtype = computeDtype ?? promoteTypes(a.dtype, b.dtype);
  return {
    a: a.dtype === dtype ? a : a.cast(dtype),
    b: b.dtype === dtype ? b : b.cast(dtype),
    dtype,
    m,
    n,
    k: ka,
    batchA: a.shape.slice(0, -2),
    batchB: b.shape.slice(0, -2),
    batch,
    transposeA,
    transposeB,
    outShape: [...batch, m, n],
    op,
  };
}

/** y = op(a)·op(b) for a plan, a new [...batch, m, n] tensor. */
export function runMatMul(p: MatMulPlan): Tensor {
  const y = new Tensor(allocate(p.dtype, sizeOf(p.outShape), p.op, p.outShape), p.outShape);
  batchedMatMul(p.a.data, p.batchA, p.b.data, p.batchB, y.data, p.batch, p.m, p.n, p.k, p.transposeA, p.transposeB);
  return y;
}

/**
 * The product's gradients for the upstream gradient `g` ([...batch, m, n], in plan.dtype):
 * [da, db] for the plan's a and b, each null when that operand does not require a gradient.
 */
export function matMulGrads(p: MatMulPlan, g: TypedArray): [Tensor | null, Tensor | null] {
  const { a, b, batchA, batchB, batch, m, n, k, transposeA, transposeB } = p;
  // y = op(a)·op(b)  ⇒  d op(a) = dy·op(b)ᵀ  and  d op(b) = op(a)ᵀ·dy, then undo op and sum
  // the gradient over the batch dimensions that were broadcast. Each case below is one of those
  // products written with the stored (not transposed) layouts of a, b and dy:
  //   da = dy·op(b)ᵀ          = matMul(dy, b, false, !transposeB)   [m, k]
  //   da = (dy·op(b)ᵀ)ᵀ       = matMul(b, dy, transposeB, true)     [k, m]  when transposeA
  //   db = op(a)ᵀ·dy          = matMul(a, dy, !transposeA, false)   [k, n]
  //   db = (op(a)ᵀ·dy)ᵀ       = matMul(dy, a, true, transposeA)     [n, k]  when transposeB
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    da = new Tensor(allocate(p.dtype, a.size), a.shape);
    if (!transposeA) batchedMatMul(g, batch, b.data, batchB, da.data, batchA, m, k, n, false, !transposeB);
    else batchedMatMul(b.data, batchB, g, batch, da.data, batchA, k, m, n, transposeB, true);
  }
  if (b.requiresGrad) {
    db = new Tensor(allocate(p.dtype, b.size), b.shape);
    if (!transposeB) batchedMatMul(a.data, batchA, g, batch, db.data, batchB, k, n, m, !transposeA, false);
    else batchedMatMul(g, batch, a.data, batchA, db.data, batchB, n, k, m, true, transposeA);
  }
  return [da, db];
}

/** The broadcast of the batch (leading) dimensions; the error names the full shapes too. */
function broadcastBatch(op: string, aShape: Shape, bShape: Shape): number[] {
  try {
    return broadcastShapes(op, aShape.slice(0, -2), bShape.slice(0, -2));
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    throw new ShapeError(
      `${err.message} (the batch dimensions of a ${formatShape(aShape)} and b ${formatShape(bShape)})`,
    );
  }
}

/** [rows, cols] of op(t)'s last two dimensions. */
function matrixDims(shape: Shape, transposed: boolean): [number, number] {
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  return transposed ? [c, r] : [r, c];
}

// Scratch for the one case that needs it (see batchedMatMul), grown on demand.
let scratch64 = new Float64Array(0);
let scratch32 = new Float32Array(0);

/**
 * out[o] (+)= op(A[a(o')]) · op(B[b(o')]) over every batch index o' of broadcast(aBatch, bBatch,
 * outBatch), where a(·), b(·) and o pick each operand's matrix by broadcasting (a size-1 batch
 * dimension always picks 0). When outBatch is the full broadcast batch each out matrix is written
 * once; when it is smaller (a gradient for an operand whose batch was broadcast), the products
 * that land on the same out matrix are summed. `out` must be zero-filled.
 *
 * Common layouts become a single backend call: every operand either has the full batch (stride
 * = its matrix size) or a single matrix (stride 0). Anything else loops over batch indices.
 */
function batchedMatMul(
  a: TypedArray,
  aBatch: Shape,
  b: TypedArray,
  bBatch: Shape,
  out: TypedArray,
  outBatch: Shape,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): void {
  const backend = getBackend();
  const full = broadcastShapes('matMul', broadcastShapes('matMul', aBatch, bBatch), outBatch);
  const count = sizeOf(full);
  const aCount = sizeOf(aBatch);
  const bCount = sizeOf(bBatch);
  const outCount = sizeOf(outBatch);
  const aSize = m * k;
  const bSize = k * n;
  const cSize = m * n;
  if (count === 0 || cSize === 0) return;

  // Two layouts where the batch folds into one bigger matrix product (better for the GEMM's blocking):
  //  - a full batch of A stored [count, m, k] times ONE B is [count·m, k]·B (a dense layer on 3-D input);
  //  - Σ_b op(A[b])·B[b] with A[b] read transposed ([count, k, m] stored, summed over all of them)
  //    is [count·k, m]ᵀ·[count·k, n]: the batch joins the summed dimension (that layer's dW = Σ xᵀ·dy).
  if (outCount === count && aCount === count && bCount === 1 && !transA) {
    backend.matMul(a, b, out, 1, count * m, n, k, false, transB, 0, 0);
    return;
  }
  if (outCount === 1 && aCount === count && bCount === count && transA && !transB) {
    backend.matMul(a, b, out, 1, m, n, count * k, true, false, 0, 0);
    return;
  }

  // one backend call: out has every batch index, each operand has all of them or exactly one
  if (outCount === count && (aCount === count || aCount === 1) && (bCount === count || bCount === 1)) {
    const aStride = aCount === 1 ? 0 : aSize;
    const bStride = bCount === 1 ? 0 : bSize;
    backend.matMul(a, b, out, count, m, n, k, transA, transB, aStride, bStride);
    return;
  }

  // general path: walk the full batch index; each operand's strides are 0 where it broadcasts
  const aStrides = broadcastStrides(aBatch, full);
  const bStrides = broadcastStrides(bBatch, full);
  const outStrides = broadcastStrides(outBatch, full);
  const fullStrides = stridesOf(full);
  const summing = outCount !== count;
  let tmp: TypedArray = out;
  if (summing) {
    if (out instanceof Float64Array) {
      if (scratch64.length < cSize) scratch64 = new Float64Array(cSize);
      tmp = scratch64;
    } else {
      if (scratch32.length < cSize) scratch32 = new Float32Array(cSize);
      tmp = scratch32;
    }
  }
  for (let flat = 0; flat < count; flat++) {
    let aMat = 0;
    let bMat = 0;
    let outMat = 0;
    let rest = flat;
    for (let d = 0; d < full.length; d++) {
      const idx = Math.floor(rest / fullStrides[d]!);
      rest -= idx * fullStrides[d]!;
      aMat += idx * aStrides[d]!;
      bMat += idx * bStrides[d]!;
      outMat += idx * outStrides[d]!;
    }
    const aView = a.subarray(aMat * aSize, (aMat + 1) * aSize);
    const bView = b.subarray(bMat * bSize, (bMat + 1) * bSize);
    if (!summing) {
      backend.matMul(
        aView,
        bView,
        out.subarray(outMat * cSize, (outMat + 1) * cSize),
        1,
        m,
        n,
        k,
        transA,
        transB,
        0,
        0,
      );
      continue;
    }
    tmp.fill(0, 0, cSize); // kernels may accumulate into C (see Note [Kernels and backends])
    backend.matMul(aView, bView, tmp, 1, m, n, k, transA, transB, 0, 0);
    const base = outMat * cSize;
    for (let i = 0; i < cSize; i++) out[base + i] = out[base + i]! + tmp[i]!;
  }
}

/** Strides (in matrices) of `batch` indexed by the broadcast batch `full`: 0 where it broadcasts. */
function broadcastStrides(batch: Shape, full: Shape): number[] {
  const own = stridesOf(batch);
  const offset = full.length - batch.length;
  return full.map((_, d) => (d < offset || batch[d - offset] === 1 ? 0 : own[d - offset]!));
}
