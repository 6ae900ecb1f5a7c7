/**
 * U-Net (Ronneberger, Fischer & Brox, "U-Net: Convolutional Networks for Biomedical Image
 * Segmentation", MICCAI 2015, arXiv:1505.04597): an encoder-decoder that outputs one prediction
 * per pixel. The encoder is a VGG-like contracting path, the decoder mirrors it with transposed
 * convolutions, and each decoder level concatenates the encoder map of its own resolution (the
 * skips, which bring back the positions the pooling lost):
 *
 *   [H, W, C] ─2 conv f─────────────────────────────────────── concat ─2 conv f─▶ 1x1 conv → [H, W, classes]
 *        └pool─▶ [H/2] ─2 conv 2f──────────────── concat ─2 conv 2f─┘ up 2x2/2 (f)
 *                   └pool─▶ [H/4] ─2 conv 4f ─ … ─ up 2x2/2 (2f)┘
 *
 * With depth d there are d poolings, and the bottom runs at H/2^d with f·2^d filters. The paper's
 * net is depth 4, 64 filters, on [572, 572, 1] with unpadded convs, cropping each skip to its
 * decoder's size; here the convs are 'same', so no cropping is needed and the output has the
 * input's size (H and W must then be divisible by 2^d). Every conv is 3x3 + bias + relu, as in the paper.
 *
 * Parameters: each level i (f_i = f·2^i) has 3·3·in·f_i + f_i + 3·3·f_i·f_i + f_i in its two convs;
 * each decoder level adds its 2·2·f_(i+1)·f_i + f_i up-convolution and takes 2·f_i channels in.
 */
import {
  Concatenate,
  Conv2D,
  Conv2DTranspose,
  input,
  type Layer,
  MaxPooling2D,
  type SymbolicTensor,
} from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Model } from '../Model';
import { checkPositiveInteger } from './lenet5';

/** Options of {@link unet}. */
export interface UNetOptions {
  /** One image, [height, width, channels]; height and width divisible by 2^depth. Default [576, 576, 1] (the paper's 572, rounded up to a multiple of 16). */
  inputShape?: [number, number, number];
  /** Output channels per pixel. Default 2 (the paper's foreground/background). */
  classes?: number;
  /** Number of poolings (and of up-convolutions). Default 4, the paper's. */
  depth?: number;
  /** Filters of the first level, doubled at each level down. Default 64, the paper's. */
  filters?: number;
  /** The output's activation: 'softmax' over classes, 'sigmoid' for independent masks, 'linear' for logits. Default 'softmax'. */
  outputActivation?: 'softmax' | 'sigmoid' | 'linear';
}

const UNET_OPTIONS = ['inputShape', 'classes', 'depth', 'filters', 'outputActivation'] as const satisfies ReadonlyArray<
  keyof UNetOptions
>;

function doubleConv(x: SymbolicTensor, filters: number, name: string): SymbolicTensor {
  const conv = (i: number): Layer =>
    new Conv2D({ name: `${name}_conv${i}`, filters, kernelSize: 3, padding: 'same', activation: 'relu' });
  return conv(2).apply(conv(1).apply(x));
}

/**
 * A U-Net (Ronneberger et al. 2015) with 'same' convolutions, as a functional Model: encoder levels
 * `enc<i>_conv1/2` and `enc<i>_pool`, the bottom `bottom_conv1/2`, decoder levels `dec<i>_up` (Conv2DTranspose
 * 2x2/2), `dec<i>_concat` (the skip) and `dec<i>_conv1/2`, and the 1x1 output conv. Nothing is allocated
 * until used.
 * @throws ConfigError for an unknown option, a bad value, or a height or width not divisible by 2^depth.
 * @example
 * unet({ inputShape: [28, 28, 1], depth: 2, filters: 8, classes: 1, outputActivation: 'sigmoid' }).outputShape;
 * // [null, 28, 28, 1]
 */
export function unet(options: UNetOptions = {}): Model {
  const builder = 'unet';
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${builder}: options must be an object, but got ${JSON.stringify(options)}`);
  }
  checkOptionNames(builder, options, UNET_OPTIONS);
  const { inputShape = [576, 576, 1], classes = 2, depth = 4, filters = 64, outputActivation = 'softmax' } = options;
  checkPositiveInteger(builder, 'classes', classes);
  checkPositiveInteger(builder, 'depth', depth);
  checkPositiveInteger(builder, 'filters', filters);
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ConfigError(
      `${builder}: inputShape must be [height, width, channels] of positive integers, but got ${JSON.stringify(inputShape)}`,
    );
  }
  const step = 2 ** depth;
  if (inputShape[0] % step !== 0 || inputShape[1] % step !== 0) {
    throw new ConfigError(
      `${builder}: height and width must be divisible by 2^depth = ${step} (each level halves them), ` +
        `but got inputShape [${inputShape.join(', ')}] with depth ${depth}`,
    );
  }
  if (!['softmax', 'sigmoid', 'linear'].includes(outputActivation)) {
    throw new ConfigError(
      `${builder}: outputActivation must be one of 'softmax', 'sigmoid', 'linear', but got ${JSON.stringify(outputActivation)}`,
    );
  }

  const image = input({ shape: inputShape, name: 'input_layer' });
  const skips: SymbolicTensor[] = [];
  let x = image;
  for (let i = 0; i < depth; i++) {
    x = doubleConv(x, filters * 2 ** i, `enc${i + 1}`);
    skips.push(x);
    x = new MaxPooling2D({ name: `enc${i + 1}_pool`, poolSize: 2 }).apply(x);
  }
  x = doubleConv(x, filters * 2 ** depth, 'bottom');
  for (let i = depth - 1; i >= 0; i--) {
    const f = filters * 2 ** i;
    const up = new Conv2DTranspose({ name: `dec${i + 1}_up`, filters: f, kernelSize: 2, strides: 2 }).apply(x);
    // [skip, up] as in the paper's figure: the encoder's copy, then the upsampled features
    const joined = new Concatenate({ name: `dec${i + 1}_concat` }).apply([skips[i]!, up]);
    x = doubleConv(joined, f, `dec${i + 1}`);
  }
  const out = new Conv2D({ name: 'output', filters: classes, kernelSize: 1, activation: outputActivation }).apply(x);
  return new Model({ inputs: image, outputs: out, name: 'unet' });
}
