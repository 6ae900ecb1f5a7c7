/**
 * VGG (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", ICLR 2015, arXiv 2014). The lecture's note: only small 3x3 filters, stacked. Two
 * 3x3 convs see a 5x5 window and three see 7x7, with fewer weights than one big filter (3·9·C² vs
 * 49·C²) and a ReLU between each. The price is memory: the early layers keep large activations.
 *
 *   [224, 224, 3]  block1  2 × conv 64   → [224, 224, 64]   pool → [112, 112, 64]
 *                  block2  2 × conv 128  → [112, 112, 128]  pool → [56, 56, 128]
 *                  block3  3 × conv 256  → [56, 56, 256]    pool → [28, 28, 256]
 *                  block4  3 × conv 512  → [28, 28, 512]    pool → [14, 14, 512]
 *                  block5  3 × conv 512  → [14, 14, 512]    pool → [7, 7, 512]
 *                  flatten → [25088]  fc 4096, dropout  fc 4096, dropout  fc numClasses (logits)
 *
 * (convs per block for VGG-16; VGG-11 has 1,1,2,2,2, VGG-13 2,2,2,2,2, VGG-19 2,2,4,4,4).
 *
 * Note [VGG pools on small images]: the pools are 2x2/2 with padding 'same', so a side of length n
 * becomes ceil(n / 2). On 224x224 (or any multiple of 32) that is exactly the paper's 'valid' pool; on
 * small images it lets all five pools run: 28 → 14 → 7 → 4 → 2 → 1, where 'valid' pools would
 * reach 0 at the fifth.
 */
import { BatchNormalization, Conv2D, Dense, Dropout, Flatten, type Layer, MaxPooling2D, ReLU } from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Sequential } from '../Sequential';
import { checkPositiveInteger } from './lenet5';

/** The depths of the VGG paper (Simonyan & Zisserman 2014): weight layers in configurations A, B, D and E. */
export type VGGDepth = 11 | 13 | 16 | 19;

/** Options of {@link vgg}. */
export interface VGGOptions {
  /** Number of weight layers: 11, 13, 16 or 19 (configurations A, B, D and E of the paper). */
  depth: VGGDepth;
  /** One image, [height, width, channels]. Default [224, 224, 3]. */
  inputShape?: [number, number, number];
  /** Size of the output. Default 1000. */
  numClasses?: number;
  /** Adds BatchNormalization between each conv and its ReLU (the later "VGG-BN" variant). Default false. */
  batchNorm?: boolean;
  /** Scales every block's filters: round(64 · m), at least 1. Default 1; 0.125 gives 8,16,32,64,64. */
  widthMultiplier?: number;
  /** Units of the two hidden Dense layers. Default 4096. */
  fcUnits?: number;
}

const VGG_OPTIONS = [
  'depth',
  'inputShape',
  'numClasses',
  'batchNorm',
  'widthMultiplier',
  'fcUnits',
] as const satisfies ReadonlyArray<keyof VGGOptions>;

/** Convs per block for each depth (the paper's Table 1). */
const BLOCKS: Record<VGGDepth, [number, number, number, number, number]> = {
  11: [1, 1, 2, 2, 2],
  13: [2, 2, 2, 2, 2],
  16: [2, 2, 3, 3, 3],
  19: [2, 2, 4, 4, 4],
};
const FILTERS = [64, 128, 256, 512, 512];

/**
 * VGG-11/13/16/19 as a Sequential model, logits out (the loss applies softmax). Layers are named
 * like Keras's VGG16: block1_conv1, block1_pool, ..., fc1, fc2, predictions.
 * @throws ConfigError for a missing or other depth, a widthMultiplier that is not positive, bad counts, or an unknown option name.
 * @example
 * vgg({ depth: 16 }).countParams(); // 138357544
 * vgg({ depth: 11, widthMultiplier: 0.125, fcUnits: 128, inputShape: [28, 28, 1], numClasses: 10 }); // trains on MNIST
 */
export function vgg(options: VGGOptions): Sequential {
  if (options === undefined || options === null || typeof options !== 'object' || options.depth === undefined) {
    throw new ConfigError('vgg: depth is required: 11, 13, 16 or 19, e.g. vgg({ depth: 16 })');
  }
  checkOptionNames('vgg', options, VGG_OPTIONS);
  const { depth, inputShape = [224, 224, 3], numClasses = 1000, batchNorm = false } = options;
  const { widthMultiplier = 1, fcUnits = 4096 } = options;
  const blocks = BLOCKS[depth];
  if (blocks === undefined) {
    throw new ConfigError(`vgg: depth must be 11, 13, 16 or 19, but got ${depth}`);
  }
  if (typeof widthMultiplier !== 'number' || !(widthMultiplier > 0) || !Number.isFinite(widthMultiplier)) {
    throw new ConfigError(`vgg: widthMultiplier must be a positive number, but got ${widthMultiplier}`);
  }
  checkPositiveInteger('vgg', 'numClasses', numClasses);
  checkPositiveInteger('vgg', 'fcUnits', fcUnits);

  const layers: Layer[] = [];
  blocks.forEach((convs, b) => {
    const filters = Math.max(1, Math.round(FILTERS[b]! * widthMultiplier));
    for (let i = 1; i <= convs; i++) {
      const name = `block${b + 1}_conv${i}`;
      const first = layers.length === 0 ? { inputShape } : {};
      if (batchNorm) {
        // conv → BN → ReLU: normalize the pre-activations, as Ioffe & Szegedy (2015) do
        layers.push(new Conv2D({ name, filters, kernelSize: 3, padding: 'same', ...first }));
        layers.push(new BatchNormalization({ name: `${name}_bn` }));
        layers.push(new ReLU({ name: `${name}_relu` }));
      } else {
        layers.push(new Conv2D({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu', ...first }));
      }
    }
    // Note [VGG pools on small images]
    layers.push(new MaxPooling2D({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2, padding: 'same' }));
  });
  layers.push(
    new Flatten({ name: 'flatten' }),
    new Dense({ name: 'fc1', units: fcUnits, activation: 'relu' }),
    new Dropout({ name: 'drop1', rate: 0.5 }),
    new Dense({ name: 'fc2', units: fcUnits, activation: 'relu' }),
    new Dropout({ name: 'drop2', rate: 0.5 }),
    new Dense({ name: 'predictions', units: numClasses }),
  );
  return new Sequential(layers, { name: `vgg${depth}${batchNorm ? '_bn' : ''}` });
}
