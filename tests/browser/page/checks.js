/**
 * What the browser test runs inside the page (test/browser.test.ts serves this file and the built
 * packages; page/index.html maps the bare '@sinapse/*' names to their dist/index.js). Plain
 * JavaScript so that the browser loads it as it is. The test also imports it in Node, where the
 * same names resolve to the same dist files, to check that the page computes exactly what Node does.
 *
 * Results leave the page as base64 of their float32 bytes, so the test compares them bit for bit.
 */
import {
  conv2d,
  getBackend,
  getNumThreads,
  initWasm,
  listBackends,
  matMul,
  randn,
  seed,
  setBackend,
  stopThreads,
  sum,
  tensor,
  useWebWorkers,
} from '@sinapse/tensor';

/** The batch of the conv checks: 64 makes both LeNet convolutions big enough to be split between threads. */
export const BATCH = 64;

/**
 * Loads the wasm kernel the way a browser app does: `await initWasm()` (after the synchronous
 * compile at import, which a browser may refuse), then `setBackend('wasm')`.
 * @returns {Promise<{ wasmAtImport: boolean, backendAtImport: string, initWasm: boolean, backend: string, backends: string[] }>}
 */
export async function setUp() {
  const wasmAtImport = listBackends().includes('wasm');
  const backendAtImport = getBackend().name;
  const ok = await initWasm();
  if (ok) setBackend('wasm');
  return { wasmAtImport, backendAtImport, initWasm: ok, backend: getBackend().name, backends: listBackends() };
}

/**
 * The platform's side of threads: what `useWebWorkers(count)` returned and what the page offers.
 * @param {number} count
 */
export async function startWorkers(count) {
  const scope = /** @type {{ crossOriginIsolated?: boolean }} */ (globalThis);
  const returned = await useWebWorkers(count);
  return {
    returned,
    numThreads: getNumThreads(),
    crossOriginIsolated: scope.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
  };
}

/** Stops the workers; the kernels go back to one thread. */
export function stopWorkers() {
  stopThreads();
  return getNumThreads();
}

/**
 * The float32 bytes of a tensor as base64 (what crosses from the page to the test).
 * @param {{ dataSync(): ArrayLike<number> } | null} t
 */
function bytes(t) {
  if (t === null) throw new Error('missing gradient');
  const data = Float32Array.from(t.dataSync());
  const raw = new Uint8Array(data.buffer);
  let text = '';
  for (let i = 0; i < raw.length; i += 0x8000) text += String.fromCharCode(...raw.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * One conv2d layer's forward and backward: y = conv2d(x, k), then sum(y).backward() fills
 * k.grad (conv2dBackpropFilter) and x.grad (conv2dBackpropInput).
 * @param {number[]} xShape
 * @param {number[]} kShape
 * @param {'same' | 'valid'} padding
 */
function convForwardBackward(xShape, kShape, padding) {
  const x = randn(xShape).requireGrad();
  const k = randn(kShape, { std: 0.2 }).requireGrad();
  const y = conv2d(x, k, { padding });
  sum(y).backward();
  return { y: bytes(y), kGrad: bytes(k.grad), xGrad: bytes(x.grad) };
}

/**
 * The products to compare across thread counts, from a fixed seed: a matMul above the
 * threshold for splitting it (300·400·500), and LeNet-5's two convolutions, forward and backward.
 * @returns {Record<string, string>} name → base64 float32 bytes
 */
export function compute() {
  seed(1234);
  const a = randn([300, 400]);
  const b = randn([400, 500]);
  const conv1 = convForwardBackward([BATCH, 28, 28, 1], [5, 5, 1, 6], 'same');
  const conv2 = convForwardBackward([BATCH, 14, 14, 6], [5, 5, 6, 16], 'valid');
  return {
    matMul: bytes(matMul(a, b)),
    'matMul aᵀ·bᵀ': bytes(matMul(b, a, true, true)),
    'conv1 y': conv1.y,
    'conv1 k.grad': conv1.kGrad,
    'conv1 x.grad': conv1.xGrad,
    'conv2 y': conv2.y,
    'conv2 k.grad': conv2.kGrad,
    'conv2 x.grad': conv2.xGrad,
  };
}

/**
 * A few SGD steps of LeNet-5 on one fixed random batch: the losses, and every trainable weight
 * after the last step. Imports the layers, models and train bundles only when called.
 * @param {number} steps
 */
export async function trainLeNet(steps) {
  const [{ lenet5 }, { SGD, trainStep }] = await Promise.all([import('@sinapse/models'), import('@sinapse/train')]);
  seed(7);
  const model = lenet5();
  const x = randn([BATCH, 28, 28, 1]);
  const y = tensor(Array.from({ length: BATCH }, (_, i) => (i * 7) % 10));
  const optimizer = new SGD({ learningRate: 0.05 });
  const losses = [];
  for (let i = 0; i < steps; i++) {
    losses.push(trainStep(model, x, y, { loss: 'sparseSoftmaxCrossEntropy', optimizer }));
  }
  const weights = Object.fromEntries(model.trainableWeights.map((w) => [w.name, bytes(w)]));
  return { losses, weights };
}
