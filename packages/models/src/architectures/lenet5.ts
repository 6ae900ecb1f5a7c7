/**
 * LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document
 * recognition", Proc. IEEE 1998): the network that read cheques, and the first CNN of the lecture.
 * Its pattern, CONV-POOL-CONV-POOL-FC-FC, is still the shape of most small CNNs:
 *
 *   [28, 28, 1]  conv1 6@5x5 'same'  → [28, 28, 6]     (the paper pads 28x28 digits to 32x32; 'same' does that)
 *                pool1 2x2/2         → [14, 14, 6]
 *                conv2 16@5x5        → [10, 10, 16]
 *                pool2 2x2/2         → [5, 5, 16]
 *                flatten             → [400]
 *                fc1 120, fc2 84     → [84]
 *                fc3 numClasses      → [10]  logits
 *
 * 61,706 parameters with the defaults. Differences from 1998, all the usual modern ones: max
 * pooling instead of trainable sub-sampling, every conv2 map sees all six conv1 maps (the paper
 * wired them sparsely), ReLU instead of the scaled tanh (pass `activation: 'tanh'` for the
 * original), and a plain Dense layer instead of the Gaussian RBF output.
 */
import { type ActivationName, Conv2D, Dense, Flatten, MaxPooling2D } from '@sinapse/layers';
import { ConfigError, checkOptionNames } from '@sinapse/tensor';
import { Sequential } from '../Sequential';

/** Options of {@link lenet5}. */
export interface LeNet5Options {
  /** One image, [height, width, channels]. Default [28, 28, 1] (MNIST). */
  inputShape?: [number, number, number];
  /** Size of the output. Default 10. */
  numClasses?: number;
  /** Activation of the hidden layers. Default 'relu'; the paper used tanh. */
  activation?: ActivationName;
}

/**
 * LeNet-5 as a Sequential model. The last layer outputs logits (no softmax): the loss applies
 * softmax itself, which is both cheaper and numerically safer (log-sum-exp), and argmax of the
 * logits is already the predicted class.
 * @throws ConfigError for a numClasses that is not a positive integer, or an unknown option name.
 * @throws ShapeError for an input too small for two 5x5 convolutions and two pools.
 * @example
 * lenet5().countParams(); // 61706
 */
export function lenet5(options: LeNet5Options = {}): Sequential {
  checkOptionNames('lenet5', options, ['inputShape', 'numClasses', 'activation']);
  const { inputShape = [28, 28, 1], numClasses = 10, activation = 'relu' } = options;
  checkPositiveInteger('lenet5', 'numClasses', numClasses);
  return new Sequential(
    [
      new Conv2D({ name: 'conv1', filters: 6, kernelSize: 5, padding: 'same', activation, inputShape }),
      new MaxPooling2D({ name: 'pool1', poolSize: 2, strides: 2 }),
      new Conv2D({ name: 'conv2', filters: 16, kernelSize: 5, padding: 'valid', activation }),
      new MaxPooling2D({ name: 'pool2', poolSize: 2, strides: 2 }),
      new Flatten({ name: 'flatten' }),
      new Dense({ name: 'fc1', units: 120, activation }),
      new Dense({ name: 'fc2', units: 84, activation }),
      new Dense({ name: 'fc3', units: numClasses }),
    ],
    { name: 'lenet5' },
  );
}

/** @internal shared by the builders */
export function checkPositiveInteger(builder: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${builder}: ${option} must be a positive integer, but got ${value}`);
  }
}
