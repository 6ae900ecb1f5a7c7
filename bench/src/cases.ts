/**
 * The benchmark cases. Each case knows its flop count and how to build a runnable closure for
 * every implementation; building (allocating inputs) is outside the timed region.
 *
 * FLOP counts (multiply and add counted separately, the usual convention):
 *   matMul n×n·n×n:  2·n³
 *   conv2d one pass: 2·N·oh·ow·kh·kw·C·F (forward, backprop-input and backprop-filter each cost
 *                    about this), so forward+backward counts 3 passes. Padded taps are counted.
 */
import * as sn from '@sinapse/tensor';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Who computes a cell. 'sinapse-wasm' runs on one thread and 'sinapse-wasm-2t' on two (useThreads(2),
 * see threads.ts); 'sinapse' (the cpu backend) and 'sinapse-reference' always run on one. The
 * 'pytorch-*' cells are not measured in this process: they come from bench/pytorch/lenet.py.
 */
export type Impl =
  | 'sinapse'
  | 'sinapse-wasm'
  | 'sinapse-wasm-2t'
  | 'sinapse-reference'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'pytorch-1t'
  | 'pytorch-2t';

/** A prepared run: `run` does the work once (synchronously); `dispose` frees the inputs. */
export interface Prepared {
  run: () => void;
  dispose: () => void;
}

export interface Case {
  name: string;
  flops: number;
  impls: Impl[];
  /** The key of this case in bench/pytorch/lenet.py's output, if PyTorch runs it too. */
  pytorch?: string;
  /** Builds the inputs for `impl` (the TF.js backend is already active). */
  prepare: (impl: Impl) => Prepared;
}

export const TFJS: Impl[] = ['tfjs-cpu', 'tfjs-wasm'];
/**
 * Sinapse's backends: 'cpu' (JavaScript), and 'wasm' where this engine has WebAssembly SIMD, on one
 * thread and on two (the 2-thread cells are skipped with a note where threads are unavailable).
 */
export const SINAPSE: Impl[] = sn.listBackends().includes('wasm')
  ? ['sinapse', 'sinapse-wasm', 'sinapse-wasm-2t']
  : ['sinapse'];

/** The Sinapse backend an Impl runs on. */
function backendOf(impl: Impl): string {
  if (impl === 'sinapse-wasm' || impl === 'sinapse-wasm-2t') return 'wasm';
  if (impl === 'sinapse-reference') return 'reference';
  return 'cpu';
}

/** Runs `fn` with Sinapse's `impl` backend active, then restores the one that was active. */
export function onBackend<T>(impl: Impl, fn: () => T): T {
  const before = sn.getBackend().name;
  sn.setBackend(backendOf(impl));
  try {
    return fn();
  } finally {
    sn.setBackend(before);
  }
}

function matMulCase(n: number, withReference: boolean): Case {
  return {
    name: `matMul ${n}x${n}x${n}`,
    flops: 2 * n ** 3,
    pytorch: `matMul${n}`,
    impls: withReference ? [...SINAPSE, 'sinapse-reference', ...TFJS] : [...SINAPSE, ...TFJS],
    prepare: (impl) => {
      if (impl.startsWith('sinapse')) {
        const g = new sn.Generator(1);
        const a = sn.randn([n, n], { generator: g });
        const b = sn.randn([n, n], { generator: g });
        return {
          run: () => onBackend(impl, () => sn.matMul(a, b)),
          dispose: () => {},
        };
      }
      const a = tf.randomNormal([n, n]);
      const b = tf.randomNormal([n, n]);
      return {
        run: () => tf.matMul(a, b).dispose(),
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

interface ConvShape {
  /** 'conv1' or 'conv2', as bench/pytorch/lenet.py names them. */
  key: string;
  label: string;
  x: [number, number, number, number];
  kernel: [number, number, number, number];
  padding: 'same' | 'valid';
}

/** LeNet-5's two convolutions with a batch of 64 (stride 1). */
const lenetConvs: ConvShape[] = [
  {
    key: 'conv1',
    label: 'conv1 x[64,28,28,1] k5x5x1x6 same',
    x: [64, 28, 28, 1],
    kernel: [5, 5, 1, 6],
    padding: 'same',
  },
  {
    key: 'conv2',
    label: 'conv2 x[64,14,14,6] k5x5x6x16 valid',
    x: [64, 14, 14, 6],
    kernel: [5, 5, 6, 16],
    padding: 'valid',
  },
];

function convFlopsPerPass({ x, kernel, padding }: ConvShape): number {
  const [batch, h, w] = x;
  const [kh, kw, c, f] = kernel;
  const oh = padding === 'same' ? h : h - kh + 1;
  const ow = padding === 'same' ? w : w - kw + 1;
  return 2 * batch * oh * ow * kh * kw * c * f;
}

function outShape({ x, kernel, padding }: ConvShape): number[] {
  const [batch, h, w] = x;
  const [kh, kw, , f] = kernel;
  return padding === 'same' ? [batch, h, w, f] : [batch, h - kh + 1, w - kw + 1, f];
}

function convCase(shape: ConvShape, backward: boolean): Case {
  const passes = backward ? 3 : 1;
  return {
    name: `${shape.label} ${backward ? 'fwd+bwd' : 'fwd'}`,
    flops: passes * convFlopsPerPass(shape),
    pytorch: `${shape.key}${backward ? 'FwdBwd' : 'Fwd'}`,
    impls: [...SINAPSE, ...TFJS],
    prepare: (impl) => {
      if (impl.startsWith('sinapse')) {
        const g = new sn.Generator(2);
        const x = sn.randn(shape.x, { generator: g, requiresGrad: backward });
        const k = sn.randn(shape.kernel, { generator: g, requiresGrad: backward });
        const dy = sn.randn(outShape(shape), { generator: g });
        return {
          run: () =>
            onBackend(impl, () => {
              const y = sn.conv2d(x, k, { padding: shape.padding });
              if (!backward) return;
              y.backward(dy);
              x.zeroGrad();
              k.zeroGrad();
            }),
          dispose: () => {},
        };
      }
      const x = tf.randomNormal(shape.x);
      const k = tf.randomNormal(shape.kernel);
      const dy = tf.randomNormal(outShape(shape));
      const conv = (xs: tf.Tensor, ks: tf.Tensor): tf.Tensor =>
        tf.conv2d(xs as tf.Tensor4D, ks as tf.Tensor4D, 1, shape.padding);
      // tf.grads with dy as the upstream gradient: the same as differentiating sum(conv(x, k)·dy)
      const grads = tf.grads(conv);
      return {
        run: () => {
          if (!backward) conv(x, k).dispose();
          else tf.dispose(grads([x, k], dy));
        },
        dispose: () => tf.dispose([x, k, dy]),
      };
    },
  };
}

export const cases: Case[] = [
  matMulCase(256, true),
  matMulCase(512, false),
  matMulCase(1024, false),
  ...lenetConvs.flatMap((s) => [convCase(s, false), convCase(s, true)]),
];
