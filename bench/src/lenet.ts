/**
 * Whole-model throughput: LeNet-5 training steps and inference, in examples per second, for
 * Sinapse (`lenet5()`, `trainStep`, `predict`; backends cpu, wasm on 1 and 2 threads, reference)
 * and the same network in TF.js layers (PyTorch's twin is in bench/pytorch/lenet.py). Inputs are
 * synthetic MNIST-shaped images [N, 28, 28, 1] with random labels; only speed is measured.
 *
 * TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel, so conv layers cannot train on it.
 * `registerWasmConv2DBackpropFilter` adds one built from the wasm backend's own Transpose and
 * Conv2D kernels (see its comment), so the TF.js wasm training cell runs on wasm kernels only.
 */
import { lenet5 } from '@sinapse/models';
import * as sn from '@sinapse/tensor';
import { SGD, trainStep } from '@sinapse/train';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Impl, onBackend, type Prepared, SINAPSE, TFJS } from './cases';
import type { TimingOptions } from './timing';

export interface ThroughputCase {
  name: string;
  /** Examples processed by one `run`. */
  examples: number;
  impls: Impl[];
  timing: TimingOptions;
  /** Timing for particular implementations (the slow reference backend), instead of `timing`. */
  timingFor?: Partial<Record<Impl, TimingOptions>>;
  /** The key of this case in bench/pytorch/lenet.py's output. */
  pytorch: string;
  prepare: (impl: Impl) => Prepared;
}

const TRAIN_BATCH = 64;
const PREDICT_BATCH = 256;
const PREDICT_EXAMPLES = 512;
const LEARNING_RATE = 0.01;

/**
 * Sinapse's reference backend (plain loops) takes ~0.3 s per training step and ~0.7 s per predict
 * run here: one warm-up run and 3 to 5 timed ones keep its cells to a few seconds.
 */
const REFERENCE_TIMING: TimingOptions = { warmup: 1, warmupMs: 0, minReps: 3, maxReps: 5, budgetMs: 3000 };

/** The TF.js twin of Sinapse's `lenet5()` (as in packages/models' oracle test). */
function tfLeNet5(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 120, activation: 'relu' }),
      tfl.layers.dense({ units: 84, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

const trainCase: ThroughputCase = {
  name: `LeNet-5 train step, batch ${TRAIN_BATCH}, SGD ${LEARNING_RATE}`,
  examples: TRAIN_BATCH,
  impls: [...SINAPSE, 'sinapse-reference', ...TFJS],
  pytorch: 'lenetTrain',
  timingFor: { 'sinapse-reference': REFERENCE_TIMING },
  // one run is one step: 3 warm-up steps, then up to 30 timed ones within ~6 s per cell
  timing: { warmup: 3, warmupMs: 0, minReps: 3, maxReps: 30, budgetMs: 6000 },
  prepare: (impl) => {
    if (impl.startsWith('sinapse')) {
      const g = new sn.Generator(3);
      sn.seed(3);
      const model = lenet5();
      const x = sn.randn([TRAIN_BATCH, 28, 28, 1], { generator: g });
      const y = sn.randInt([TRAIN_BATCH], 0, 10, { generator: g });
      const optimizer = new SGD({ learningRate: LEARNING_RATE });
      return {
        run: () => onBackend(impl, () => trainStep(model, x, y, { loss: 'sparseSoftmaxCrossEntropy', optimizer })),
        dispose: () => {},
      };
    }
    const model = tfLeNet5();
    const x = tf.randomNormal([TRAIN_BATCH, 28, 28, 1]);
    const y = tf.oneHot(tf.randomUniformInt([TRAIN_BATCH], 0, 10), 10);
    const optimizer = tf.train.sgd(LEARNING_RATE);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
    return {
      // returnCost: the loss is read back, as Sinapse's trainStep does with loss.item()
      run: () => {
        const cost = optimizer.minimize(loss, true, vars);
        cost?.dataSync();
        cost?.dispose();
      },
      dispose: () => {
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
      },
    };
  },
};

const predictCase: ThroughputCase = {
  name: `LeNet-5 predict ${PREDICT_EXAMPLES} examples, batch ${PREDICT_BATCH}`,
  examples: PREDICT_EXAMPLES,
  impls: [...SINAPSE, 'sinapse-reference', ...TFJS],
  pytorch: 'lenetPredict',
  timingFor: { 'sinapse-reference': REFERENCE_TIMING },
  timing: { warmup: 2, warmupMs: 300, minReps: 3, maxReps: 15, budgetMs: 4000 },
  prepare: (impl) => {
    if (impl.startsWith('sinapse')) {
      sn.seed(4);
      const model = lenet5();
      const x = sn.randn([PREDICT_EXAMPLES, 28, 28, 1], { generator: new sn.Generator(4) });
      return {
        run: () => onBackend(impl, () => model.predict(x, { batchSize: PREDICT_BATCH })),
        dispose: () => {},
      };
    }
    const model = tfLeNet5();
    const x = tf.randomNormal([PREDICT_EXAMPLES, 28, 28, 1]);
    return {
      // dataSync: wait for the result, as Sinapse's synchronous predict does
      run: () => {
        const out = model.predict(x, { batchSize: PREDICT_BATCH }) as tf.Tensor;
        out.dataSync();
        out.dispose();
      },
      dispose: () => {
        x.dispose();
        model.dispose();
      },
    };
  },
};

export const throughputCases: ThroughputCase[] = [trainCase, predictCase];

/**
 * A Conv2DBackpropFilter kernel for TF.js's wasm backend, from its own kernels:
 *   dW[kh, kw, c, f] = Σ_{n, i, j} x[n, i·s + kh − pad, j·s + kw − pad, c] · dy[n, i, j, f]
 * is a convolution of x with dy as the filter once the batch axis plays the role of channels:
 * conv2d(x as [C, H, W, N], dy as [OH, OW, N, F], with the forward pass's padding) gives
 * [C, KH, KW, F], transposed back to [KH, KW, C, F]. Stride 1 and NHWC only (all LeNet needs).
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
  const conv2d = tf.getKernel('Conv2D', 'wasm')!.kernelFunc;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      if (info.strideHeight !== 1 || info.strideWidth !== 1) {
        throw new Error('bench Conv2DBackpropFilter (wasm): only stride 1 is supported');
      }
      const { top, bottom, left, right } = info.padInfo;
      const t = (tensor: tf.TensorInfo, perm: number[]) =>
        transpose({ inputs: { x: tensor }, backend, attrs: { perm } }) as tf.TensorInfo;
      const xT = t(x, [3, 1, 2, 0]);
      const dyT = t(dy, [1, 2, 0, 3]);
      const dwT = conv2d({
        inputs: { x: xT, filter: dyT },
        backend,
        attrs: {
          strides: 1,
          dilations: 1,
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
        },
      }) as tf.TensorInfo;
      const dw = t(dwT, [1, 2, 0, 3]);
      for (const tmp of [xT, dyT, dwT]) (backend as tf.KernelBackend).disposeData(tmp.dataId);
      return dw;
    },
  });
}
