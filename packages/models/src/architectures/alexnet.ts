/**
 * AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional
 * Neural Networks", NIPS 2012): the network that won ImageNet 2012 by a wide margin. The lecture's
 * notes: it is LeNet made deeper and wider, with ReLU instead of tanh (the paper reports training
 * six times faster), dropout in the big Dense layers, local response normalization, and SGD with
 * batches of 128 images on two GPUs.
 *
 *   [227, 227, 3]  conv1 96@11x11/4 relu → [55, 55, 96]    LRN, pool 3x3/2 → [27, 27, 96]
 *                  conv2 256@5x5 'same'  → [27, 27, 256]   LRN, pool 3x3/2 → [13, 13, 256]
 *                  conv3 384@3x3 'same'  → [13, 13, 384]
 *                  conv4 384@3x3 'same'  → [13, 13, 384]
 *                  conv5 256@3x3 'same'  → [13, 13, 256]   pool 3x3/2 → [6, 6, 256]
 *                  flatten → [9216]  fc6 4096, dropout  fc7 4096, dropout  fc8 numClasses (logits)
 *
 * 62,378,344 parameters with the defaults; 94% of them are in the three Dense layers. This is the
 * single-tower version (as in Keras/torchvision ports): the paper split conv2, conv4 and conv5
 * into two groups, one per GPU, which halves their weights. 227 (not the paper's 224) is the input
 * for which 11x11/4 tiles exactly: (227 − 11) / 4 + 1 = 55.
 */
import { Conv2D, Dense, Dropout, Flatten, type Layer, LocalResponseNormalization, MaxPooling2D } from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Sequential } from '../Sequential';
import { checkPositiveInteger } from './lenet5';

/** Options of {@link alexnet} and {@link alexnetMini}. */
export interface AlexNetOptions {
  /** One image, [height, width, channels]. Default [227, 227, 3] (alexnetMini: [28, 28, 1]). */
  inputShape?: [number, number, number];
  /** Size of the output. Default 1000 (alexnetMini: 10). */
  numClasses?: number;
  /** Whether to keep the two LocalResponseNormalization layers (later work found them of little use). Default true. */
  lrn?: boolean;
  /** Dropout rate after fc6 and fc7; 0 removes the Dropout layers. Default 0.5. */
  dropout?: number;
}

/** The filter counts and Dense width of each variant; the layer pattern is the same. */
interface AlexNetPlan {
  name: string;
  conv1: { filters: number; kernelSize: number; strides: number; padding: 'valid' | 'same' };
  filters: [number, number, number, number];
  fcUnits: number;
}

function buildAlexNet(
  builder: string,
  plan: AlexNetPlan,
  options: AlexNetOptions,
  defaults: Required<Pick<AlexNetOptions, 'inputShape' | 'numClasses'>>,
): Sequential {
  checkOptionNames(builder, options, ['inputShape', 'numClasses', 'lrn', 'dropout']);
  const { inputShape = defaults.inputShape, numClasses = defaults.numClasses, lrn = true, dropout = 0.5 } = options;
  checkPositiveInteger(builder, 'numClasses', numClasses);
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new ConfigError(`${builder}: dropout must be a rate in [0, 1), but got ${dropout}`);
  }
  const [f2, f3, f4, f5] = plan.filters;
  // LRN with the paper's constants: k=2, n=5 (depthRadius 2), alpha=1e-4, beta=0.75
  const norm = (name: string) =>
    lrn ? [new LocalResponseNormalization({ name, depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75 })] : [];
  const drop = (name: string) => (dropout > 0 ? [new Dropout({ name, rate: dropout })] : []);
  const pool = (name: string) => new MaxPooling2D({ name, poolSize: 3, strides: 2 }); // overlapping pools
  const layers: Layer[] = [
    new Conv2D({ name: 'conv1', ...plan.conv1, activation: 'relu', inputShape }),
    ...norm('norm1'),
    pool('pool1'),
    new Conv2D({ name: 'conv2', filters: f2, kernelSize: 5, padding: 'same', activation: 'relu' }),
    ...norm('norm2'),
    pool('pool2'),
    new Conv2D({ name: 'conv3', filters: f3, kernelSize: 3, padding: 'same', activation: 'relu' }),
    new Conv2D({ name: 'conv4', filters: f4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    new Conv2D({ name: 'conv5', filters: f5, kernelSize: 3, padding: 'same', activation: 'relu' }),
    pool('pool5'),
    new Flatten({ name: 'flatten' }),
    new Dense({ name: 'fc6', units: plan.fcUnits, activation: 'relu' }),
    ...drop('drop6'),
    new Dense({ name: 'fc7', units: plan.fcUnits, activation: 'relu' }),
    ...drop('drop7'),
    new Dense({ name: 'fc8', units: numClasses }),
  ];
  return new Sequential(layers, { name: plan.name });
}

/**
 * AlexNet as a Sequential model (single tower, logits out: the loss applies softmax).
 * Needs inputs of at least 67x67: below that the three 3x3/2 pools run out of pixels (ShapeError).
 * @example
 * alexnet().countParams(); // 62378344 (counted from shapes: nothing is allocated)
 */
export function alexnet(options: AlexNetOptions = {}): Sequential {
  return buildAlexNet(
    'alexnet',
    {
      name: 'alexnet',
      conv1: { filters: 96, kernelSize: 11, strides: 4, padding: 'valid' },
      filters: [256, 384, 384, 256],
      fcUnits: 4096,
    },
    options,
    { inputShape: [227, 227, 3], numClasses: 1000 },
  );
}

/**
 * AlexNet's layer pattern sized for MNIST-like images (28x28): conv1 is 32@5x5 stride 1 'same'
 * (an 11x11/4 filter would leave 5x5 pixels), the other convs have 64, 96, 96, 64 filters, and fc6 /
 * fc7 have 256 units. Shapes: 28 → pool 13 → pool 6 → pool 2, flatten 256. 380,042 parameters for
 * 10 classes: small enough to train on a CPU.
 * @example
 * alexnetMini().outputShape; // [null, 10]
 */
export function alexnetMini(options: AlexNetOptions = {}): Sequential {
  return buildAlexNet(
    'alexnetMini',
    {
      name: 'alexnet_mini',
      conv1: { filters: 32, kernelSize: 5, strides: 1, padding: 'same' },
      filters: [64, 96, 96, 64],
      fcUnits: 256,
    },
    options,
    { inputShape: [28, 28, 1], numClasses: 10 },
  );
}
