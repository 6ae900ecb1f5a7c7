/**
 * The training worker: loads MNIST from the site, trains LeNet-5 and reports to the page. The page
 * never computes on the data, so it stays responsive however long a step takes.
 *
 * Threads: `useWebWorkers(n)` starts n − 1 more workers that share this worker's WebAssembly memory
 * (SharedArrayBuffer), which needs a cross-origin isolated page; elsewhere it returns 1 and
 * training runs on this worker alone.
 *
 * The loop is the one of docs/training.md, written out so that it can pause, change its learning
 * rate or batch size between steps, and report as it goes:
 *   pred = model.apply(x, { training: true })   forward
 *   loss = sparseSoftmaxCrossEntropy(pred, y)   mean over the batch
 *   loss.backward()                             every weight's .grad
 *   optimizer.step(model.trainableWeights)      w ← w − η·(step from .grad)
 *   model.zeroGrad()
 * It runs steps for about 80 ms, then yields so that messages (pause, a new learning rate) are
 * handled, and posts the running loss and accuracy.
 *
 * The data stays as bytes (47 MB for the 60,000 training images) and each batch is made as float32
 * when it is needed, standardized as the MNIST example does: (pixel/255 − mean) / std.
 */
import {
  Adam,
  accuracy,
  Generator,
  getBackend,
  getNumThreads,
  initWasm,
  lenet5,
  noGrad,
  type Optimizer,
  parseIdx,
  type Sequential,
  SGD,
  seed,
  setBackend,
  softmax,
  sparseSoftmaxCrossEntropy,
  type Tensor,
  tensor,
  useWebWorkers,
} from 'sinapse';
import type { FromWorker, Maps, Settings, ToWorker } from './protocol';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated?: boolean;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const PIXELS = 28 * 28;
const TRAIN_TOTAL = 55_000; // the first 55,000 train; the last 5,000 validate (as examples/mnist does)
const LIVE_VALIDATION = 1000; // a quick validation on the first 1,000 held-out images, twice an epoch
const SAMPLES = 12; // test digits offered in the digit picker

interface Data {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
  mean: number;
  std: number;
}

let data: Data | null = null;
let settings: Settings;
let model: Sequential;
let optimizer: Optimizer;
/** Position in the run: examples seen in the current epoch, and epochs done. */
let epoch = 0;
let cursor = 0;
let steps = 0;
let order = new Int32Array(0);
let running = false;
let looping = false;
let inspectIndex = 0;
let nextLiveValidation = 0.5;

// ---- data ------------------------------------------------------------------------------------

/**
 * Fetches one gzipped IDX file and gunzips it (DecompressionStream). The body is read whole with
 * arrayBuffer(): read as a stream (to count bytes as they came), Chromium reported some of these
 * requests as failed (net::ERR_ABORTED) although every byte had arrived.
 */
async function fetchIdx(base: string, name: string): Promise<Uint8Array> {
  const response = await fetch(new URL(`${name}.gz`, base));
  if (!response.ok) throw new Error(`could not load ${name}.gz: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // a server that sent the file with Content-Encoding: gzip (vite preview does) has had the
  // browser gunzip it already
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(plain).arrayBuffer());
}

async function loadData(base: string): Promise<Data> {
  const names = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ];
  let done = 0;
  post({ type: 'loading', files: 0, of: names.length });
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    names.map(async (name) => {
      const idx = parseIdx(await fetchIdx(base, name), { name }).data as Uint8Array;
      post({ type: 'loading', files: ++done, of: names.length });
      return idx;
    }),
  );
  // the training images' pixel statistics (0.1307 and 0.3081, as every MNIST example quotes)
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < trainImages!.length; i++) {
    const v = trainImages![i]! / 255;
    sum += v;
    sumSq += v * v;
  }
  const n = trainImages!.length;
  const mean = sum / n;
  const std = Math.sqrt(sumSq / n - mean * mean);
  return {
    trainImages: trainImages!,
    trainLabels: trainLabels!,
    testImages: testImages!,
    testLabels: testLabels!,
    mean,
    std,
  };
}

/** Examples `indices` (or `start` .. `start + count`) as x [B, 28, 28, 1] (standardized) and y [B]. */
function batch(
  images: Uint8Array,
  labels: Uint8Array,
  pick: (i: number) => number,
  count: number,
): { x: Tensor; y: Tensor } {
  const { mean, std } = data!;
  const x = new Float32Array(count * PIXELS);
  const y = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const src = pick(b);
    const offset = src * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[b * PIXELS + p] = (images[offset + p]! / 255 - mean) / std;
    y[b] = labels[src]!;
  }
  return { x: tensor(x, [count, 28, 28, 1]), y: tensor(y, [count]) };
}

/** Loss and accuracy on `count` examples from `start`, in batches of 500, without gradients. */
async function evaluate(images: Uint8Array, labels: Uint8Array, start: number, count: number) {
  let loss = 0;
  let correct = 0;
  for (let at = 0; at < count; at += 500) {
    const n = Math.min(500, count - at);
    const { x, y } = batch(images, labels, (b) => start + at + b, n);
    noGrad(() => {
      const pred = model.apply(x, { training: false });
      loss += sparseSoftmaxCrossEntropy(pred, y).item() * n;
      correct += accuracy(pred, y) * n;
    });
    await yieldToMessages();
  }
  return { loss: loss / count, accuracy: correct / count };
}

// ---- the run ---------------------------------------------------------------------------------

function makeOptimizer(s: Settings): Optimizer {
  return s.optimizer === 'adam'
    ? new Adam({ learningRate: s.learningRate })
    : new SGD({ learningRate: s.learningRate, momentum: 0.9 });
}

/** A new run: fresh weights (the same for the same seed), epoch 0. */
function reset(s: Settings): void {
  settings = { ...s };
  seed(settings.seed);
  model = lenet5();
  model.apply(tensor(new Float32Array(PIXELS), [1, 28, 28, 1])); // builds the weights
  optimizer = makeOptimizer(settings);
  epoch = 0;
  cursor = 0;
  steps = 0;
  nextLiveValidation = 0.5;
  shuffle();
}

/** The order of this epoch's training examples: a permutation that depends only on (seed, epoch). */
function shuffle(): void {
  const n = Math.min(settings.trainSize, TRAIN_TOTAL);
  order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = new Generator(settings.seed * 1000 + epoch);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/** A zero-delay yield: lets the worker handle the messages that arrived during the last steps. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function sendState(): void {
  post({ type: 'state', running, finished: epoch >= settings.epochs });
}

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    while (running && epoch < settings.epochs) {
      const started = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      while (running && cursor < order.length && performance.now() - started < 80) {
        const n = Math.min(settings.batchSize, order.length - cursor);
        const from = cursor;
        const { x, y } = batch(data!.trainImages, data!.trainLabels, (b) => order[from + b]!, n);
        const pred = model.apply(x, { training: true });
        const loss = sparseSoftmaxCrossEntropy(pred, y);
        loss.backward();
        optimizer.step(model.trainableWeights);
        model.zeroGrad();
        lossSum += loss.item() * n;
        correct += accuracy(pred.detach(), y) * n;
        seen += n;
        cursor += n;
        steps++;
      }
      const seconds = (performance.now() - started) / 1000;
      const progress = epoch + cursor / order.length;
      if (seen > 0) {
        post({
          type: 'progress',
          epoch: progress,
          epochs: settings.epochs,
          step: steps,
          loss: lossSum / seen,
          accuracy: correct / seen,
          examplesPerSecond: seen / seconds,
        });
      }
      if (cursor >= order.length) {
        epoch++;
        cursor = 0;
        const v = await evaluate(data!.trainImages, data!.trainLabels, TRAIN_TOTAL, 60_000 - TRAIN_TOTAL);
        post({ type: 'validation', epoch, ...v, full: true });
        nextLiveValidation = epoch + 0.5;
        shuffle();
        inspect();
        if (epoch >= settings.epochs) {
          const t = await evaluate(data!.testImages, data!.testLabels, 0, data!.testLabels.length);
          post({ type: 'test', ...t, count: data!.testLabels.length });
          running = false;
        }
        sendState();
      } else if (progress >= nextLiveValidation) {
        nextLiveValidation += 0.5;
        const v = await evaluate(data!.trainImages, data!.trainLabels, TRAIN_TOTAL, LIVE_VALIDATION);
        post({ type: 'validation', epoch: progress, ...v, full: false });
      }
      if (seen > 0 && steps % 4 === 0) inspect();
      await yieldToMessages();
    }
  } catch (e) {
    running = false;
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    sendState();
  } finally {
    looping = false;
  }
}

/** conv1's filters and one test digit's feature maps after conv1, pool1, conv2 and pool2. */
function inspect(): void {
  if (data === null) return;
  const { x } = batch(data.testImages, data.testLabels, () => inspectIndex, 1);
  const maps: Maps[] = [];
  let probabilities: number[] = [];
  noGrad(() => {
    let h = x;
    for (const layer of model.layers) {
      h = layer.apply(h, { training: false });
      if (maps.length < 4) {
        const [, height, width, channels] = h.shape as [number, number, number, number];
        maps.push({ name: layer.name, shape: [height, width, channels], data: Float32Array.from(h.dataSync()) });
      }
    }
    probabilities = Array.from(softmax(h).dataSync());
  });
  const filters = Float32Array.from(model.getLayer('conv1').weights[0]!.dataSync());
  post(
    {
      type: 'inside',
      index: inspectIndex,
      label: data.testLabels[inspectIndex]!,
      filters,
      maps,
      probabilities,
    },
    [filters.buffer, ...maps.map((m) => m.data.buffer)],
  );
}

// ---- messages --------------------------------------------------------------------------------

async function init(message: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  if (await initWasm()) setBackend('wasm');
  const threads = await useWebWorkers(message.threads);
  post({
    type: 'threads',
    threads: getNumThreads() === threads ? threads : getNumThreads(),
    backend: getBackend().name,
    isolated: scope.crossOriginIsolated === true,
  });
  data = await loadData(message.mnistUrl);
  reset(message.settings);
  post({
    type: 'ready',
    train: TRAIN_TOTAL,
    validation: 60_000 - TRAIN_TOTAL,
    test: data.testLabels.length,
    normalization: { mean: data.mean, std: data.std },
    samples: {
      pixels: data.testImages.slice(0, SAMPLES * PIXELS),
      labels: Array.from(data.testLabels.slice(0, SAMPLES)),
    },
  });
  inspect();
  sendState();
}

scope.onmessage = (event) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'init':
        init(message).catch((e) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
        break;
      case 'start':
        if (data === null || epoch >= settings.epochs) break;
        running = true;
        sendState();
        void loop();
        break;
      case 'pause':
        running = false;
        sendState();
        break;
      case 'reset':
        running = false;
        if (data !== null) {
          reset(message.settings);
          inspect();
        }
        sendState();
        break;
      case 'set': {
        const next = { ...settings, ...message.settings };
        if (next.optimizer !== settings.optimizer) optimizer = makeOptimizer(next);
        else if (next.learningRate !== settings.learningRate) optimizer.learningRate = next.learningRate;
        settings = next;
        sendState();
        break;
      }
      case 'inspect':
        inspectIndex = message.index;
        inspect();
        break;
      case 'snapshot': {
        const { modelJson, weightData } = model.toArtifacts();
        const copy = weightData.slice();
        post({ type: 'snapshot', id: message.id, modelJson, weightData: copy }, [copy.buffer]);
        break;
      }
    }
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
