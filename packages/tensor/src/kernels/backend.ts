/**
 * Note [Kernels and backends]
 * Ops (./ops) validate arguments, compute shapes and record autograd; kernels do the arithmetic.
 * A kernel is a plain function over typed arrays and numbers: it never sees a Tensor or the tape.
 *
 * The hot kernels (the ones that dominate CNN training) sit behind this one interface so that a
 * faster implementation can replace them and be tested against the plain one:
 *   - 'reference': readable loops straight from the definitions, the specification and test oracle;
 *   - 'cpu': the fast JavaScript path (im2col + cache-blocked, register-tiled GEMM), the default
 *     where WebAssembly SIMD is missing;
 *   - 'wasm': the same im2col around a WebAssembly SIMD GEMM (./wasm), the default where the
 *     engine has WebAssembly SIMD (Node 20+, current browsers). float64 still runs on 'cpu'.
 *
 * Conventions for every kernel here:
 *   - all arrays are flat, row-major; images are NHWC, conv filters [kh, kw, inChannels, outChannels];
 *   - output arrays are allocated by the caller, zero-filled, with the exact output size;
 *   - forward kernels write their output; backward kernels accumulate (+=) into their output,
 *     so a zero-filled buffer gives the plain gradient.
 */
import type { TypedArray } from '../dtype';
import { ValueError } from '../errors';
import type { Conv2DInfo } from './conv2dInfo';

/**
 * A set of kernels: the plain functions over typed arrays that ops call to do their arithmetic
 * ('reference', the readable specification, 'js' and 'wasm', the fast ones). Ops never see a
 * backend's internals; `setBackend(name)` picks which one they call. See docs/architecture.md.
 */
export interface Backend {
  /** The name `setBackend`, `getBackend` and `listBackends` use: 'reference', 'js' or 'wasm'. */
  readonly name: string;

  /**
   * Batched matrix product C[b] = op(A[b]) · op(B[b]) for b in [0, batch), where op transposes
   * when the flag is set. Shapes: op(A[b]) is [m, k], op(B[b]) is [k, n], C[b] is [m, n]; so A[b]
   * is stored [m, k] (or [k, m] if transA) and B[b] [k, n] (or [n, k] if transB).
   * aBatchStride/bBatchStride are the distances between consecutive A[b]/B[b] (0 broadcasts one
   * matrix over the batch); C is dense, with stride m·n.
   */
  matMul(
    a: TypedArray,
    b: TypedArray,
    c: TypedArray,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    aBatchStride: number,
    bBatchStride: number,
  ): void;

  /** y[n, oh, ow, f] = Σ_{kh, kw, c} x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, c] · w[kh, kw, c, f] */
  conv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void;
  /**
   * Optional: conv2d followed by biasActivation(y, bias, F, activation), for a backend that can do
   * both before y leaves its memory (the wasm backend saves copying y out and in again). Must give
   * exactly what the two calls give; ops fall back to the two calls when it is missing.
   */
  fusedConv2d?(
    x: TypedArray,
    w: TypedArray,
    y: TypedArray,
    info: Conv2DInfo,
    bias: TypedArray | null,
    activation: FusedActivation,
  ): void;
  /**
   * Optional: the backward of {@link fusedConv2d}, for a backend that can keep the intermediate
   * dpre in its memory: biasActivationBackward(dy, y, dpre, dbias, F, activation), then
   * conv2dBackpropInput(dpre, w, dx) and conv2dBackpropFilter(x, dpre, dw), each skipped when its
   * output is null (dx, dw, dbias accumulate, as every backward kernel). Must give exactly what
   * those calls give; ops make them when it is missing.
   */
  fusedConv2dBackward?(
    dy: TypedArray,
    y: TypedArray,
    x: TypedArray,
    w: TypedArray,
    dx: TypedArray | null,
    dw: TypedArray | null,
    dbias: TypedArray | null,
    info: Conv2DInfo,
    activation: FusedActivation,
  ): void;
  /** dx += dL/dx for conv2d: the transposed convolution of dy with w. */
  conv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void;
  /** dw += dL/dw for conv2d: the correlation of x with dy. */
  conv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void;

  /**
   * y[n, oh, ow, c·M + m] = Σ_{kh, kw} x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, c] · w[kh, kw, c, m],
   * with M = info.outChannels / info.inChannels (the depth multiplier); w is [kh, kw, C, M].
   */
  depthwiseConv2d(x: TypedArray, w: TypedArray, y: TypedArray, info: Conv2DInfo): void;
  /** dx += dL/dx for depthwiseConv2d. */
  depthwiseConv2dBackpropInput(dy: TypedArray, w: TypedArray, dx: TypedArray, info: Conv2DInfo): void;
  /** dw += dL/dw for depthwiseConv2d. */
  depthwiseConv2dBackpropFilter(x: TypedArray, dy: TypedArray, dw: TypedArray, info: Conv2DInfo): void;

  /** y[n, oh, ow, c] = max over the window's real (unpadded) cells. */
  maxPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void;
  /** dx += dy routed to the first maximal cell of each window (TensorFlow's tie rule). */
  maxPool2dBackward(dy: TypedArray, x: TypedArray, dx: TypedArray, info: Conv2DInfo): void;
  /** y[n, oh, ow, c] = mean over the window's real cells (padding is not counted). */
  avgPool2d(x: TypedArray, y: TypedArray, info: Conv2DInfo): void;
  /** dx += dy / count spread over each window's real cells. */
  avgPool2dBackward(dy: TypedArray, dx: TypedArray, info: Conv2DInfo): void;

  /** y = max(x, 0); NaN stays NaN (a diverging model shows it) and −0 becomes +0, as Math.max. */
  relu(x: TypedArray, y: TypedArray): void;
  /** dx += dy where x > 0: the gradient at exactly 0 (and at NaN) is 0. */
  reluBackward(dy: TypedArray, x: TypedArray, dx: TypedArray): void;

  /**
   * The epilogue of a layer, in place: y[i] = act(y[i] + bias[i mod channels]), with y seen as
   * rows of `channels` values (NHWC conv output [N, H, W, C], or a matMul's [..., n]) and bias
   * [channels] (null: no bias, y[i] = act(y[i])). See Note [Fused bias and activation].
   */
  biasActivation(y: TypedArray, bias: TypedArray | null, channels: number, activation: FusedActivation): void;
  /**
   * Backward of {@link biasActivation}, given the upstream gradient dy and its OUTPUT y:
   *   dpre[i] = dy[i] · act'(pre[i])    written (every element is set; dpre may be dy itself);
   *   dbias[c] += Σ_rows dpre[row, c]   accumulated, as every backward kernel (null: no bias).
   * For relu, act'(pre) = [y > 0], since relu(pre) > 0 exactly when pre > 0 (the input pre is not
   * kept). dbias sums many rows: the kernel must keep that sum accurate (float64 in JavaScript).
   */
  biasActivationBackward(
    dy: TypedArray,
    y: TypedArray,
    dpre: TypedArray,
    dbias: TypedArray | null,
    channels: number,
    activation: FusedActivation,
  ): void;
}

/**
 * The activations the fused kernels apply (see Backend.biasActivation): the ones whose gradient
 * can be read off the output. Others run as separate ops after a 'linear' fused op.
 */
export type FusedActivation = 'linear' | 'relu';

/**
 * The kernels every backend must have (all of the interface but `name` and the optional
 * `fusedConv2d` and `fusedConv2dBackward`); the type makes the compiler reject a list that misses one or adds another.
 */
const REQUIRED_KERNELS: {
  readonly [K in keyof Omit<Backend, 'name' | 'fusedConv2d' | 'fusedConv2dBackward'>]-?: true;
} = {
  matMul: true,
  conv2d: true,
  conv2dBackpropInput: true,
  conv2dBackpropFilter: true,
  depthwiseConv2d: true,
  depthwiseConv2dBackpropInput: true,
  depthwiseConv2dBackpropFilter: true,
  maxPool2d: true,
  maxPool2dBackward: true,
  avgPool2d: true,
  avgPool2dBackward: true,
  relu: true,
  reluBackward: true,
  biasActivation: true,
  biasActivationBackward: true,
};

const backends = new Map<string, Backend>();
let active: Backend | null = null;

/** `'name'` for a string, the value itself otherwise, as error messages show what they got. */
const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Makes a backend available to `setBackend(name)`. The first one registered becomes active; a
 * backend registered again under a name already taken replaces the earlier one.
 * @throws ValueError when the backend has no name or lacks a kernel of the Backend interface.
 */
export function registerBackend(backend: Backend): void {
  if (typeof backend !== 'object' || backend === null || typeof backend.name !== 'string' || backend.name === '') {
    const got = typeof backend === 'object' && backend !== null ? `name ${show(backend.name)}` : show(backend);
    throw new ValueError(`registerBackend: a backend must be an object with a non-empty string name, but got ${got}`);
  }
  const kernels = backend as unknown as Record<string, unknown>;
  const missing = Object.keys(REQUIRED_KERNELS).filter((kernel) => typeof kernels[kernel] !== 'function');
  for (const optional of ['fusedConv2d', 'fusedConv2dBackward']) {
    if (kernels[optional] !== undefined && typeof kernels[optional] !== 'function') missing.push(optional);
  }
  if (missing.length > 0) {
    throw new ValueError(
      `registerBackend: a backend must have a function for every kernel of the Backend interface, ` +
        `but backend '${backend.name}' has none for ${missing.join(', ')}`,
    );
  }
  backends.set(backend.name, backend);
  if (active === null) active = backend;
}

/**
 * Switches every op to the named backend's kernels.
 * @throws ValueError naming the registered backends when none has that name.
 */
export function setBackend(name: string): void {
  const backend = typeof name === 'string' ? backends.get(name) : undefined;
  if (backend === undefined) {
    // 'wasm' is missing where the engine has no WebAssembly SIMD or refused the synchronous compile
    const hint =
      name === 'wasm' ? " ('wasm' is registered where WebAssembly SIMD is available: `await initWasm()` adds it)" : '';
    throw new ValueError(
      `setBackend: the backend must be one of ${listBackends().map(show).join(', ')}, but got ${show(name)}${hint}`,
    );
  }
  active = backend;
}

/** The backend ops currently dispatch to. */
export function getBackend(): Backend {
  // Not a user mistake, so a plain Error: kernels/index.ts registers 'cpu' as soon as the package
  // is imported, and this can only fail for a file that imports backend.ts without it (a bug).
  if (active === null) throw new Error('getBackend: no backend registered (kernels/index.ts was not imported)');
  return active;
}

/** Names of the registered backends. */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Looks a backend up by name without activating it (tests compare two backends this way):
 * undefined when no backend has that name, so a caller can check before `setBackend`.
 */
export function findBackend(name: string): Backend | undefined {
  return backends.get(name);
}
