/**
 * The models the example can train, chosen with `--model`. Every one takes a batch of images
 * [B, 28, 28, 1] (NHWC: batch, height, width, channels) and returns 10 logits per image, [B, 10]:
 * one unnormalized score per digit. There is no softmax layer: the loss applies softmax itself
 * (log-sum-exp, numerically safe), and the largest logit is already the predicted digit.
 *
 * The shapes below leave out the batch axis. Parameter counts are what `model.summary()` prints.
 */
import { Dense, Flatten } from '@sinapse/layers';
import { alexnetMini, lenet5, type Model, resnetMini, Sequential, vgg } from '@sinapse/models';

export const MODEL_NAMES = ['lenet5', 'vgg-mini', 'alexnet-mini', 'mlp', 'resnet-mini'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * Builds a fresh, randomly initialized model. The initial weights come from the global generator,
 * so call `seed(n)` from @sinapse/tensor first for a reproducible run.
 */
export function buildModel(name: ModelName): Model {
  switch (name) {
    case 'lenet5':
      // LeNet-5 (LeCun et al., 1998), the default: 61,706 parameters.
      //   input                           [28, 28, 1]
      //   conv1  6 filters 5x5 'same'     [28, 28, 6]    156 params (5·5·1·6 + 6); 'same' pads by 2
      //   pool1  max 2x2 stride 2         [14, 14, 6]    keeps the strongest response in each 2x2 window
      //   conv2  16 filters 5x5 'valid'   [10, 10, 16]   2,416 params (5·5·6·16 + 16); 14 − 5 + 1 = 10
      //   pool2  max 2x2 stride 2         [5, 5, 16]
      //   flatten                         [400]          5·5·16 = 400 numbers per image
      //   fc1    120 units, ReLU          [120]          48,120 params (400·120 + 120)
      //   fc2    84 units, ReLU           [84]           10,164 params
      //   fc3    10 units (logits)        [10]           850 params
      return lenet5();
    case 'vgg-mini':
      // VGG-11 (configuration A) at 1/8 width, with 128-unit Dense layers: 170,538 parameters
      // (the 3x3 convs of blocks 4 and 5 hold 130k of them, on images of 4x4 and 2x2 pixels).
      // Every conv is 3x3 'same' + ReLU, every pool 2x2 stride 2 'same' (a side n becomes ceil(n/2)).
      //   input                           [28, 28, 1]
      //   block1  conv 8                  [28, 28, 8]    pool → [14, 14, 8]
      //   block2  conv 16                 [14, 14, 16]   pool → [7, 7, 16]
      //   block3  conv 32, conv 32        [7, 7, 32]     pool → [4, 4, 32]
      //   block4  conv 64, conv 64        [4, 4, 64]     pool → [2, 2, 64]
      //   block5  conv 64, conv 64        [2, 2, 64]     pool → [1, 1, 64]
      //   flatten                         [64]
      //   fc1 128 ReLU, dropout 0.5       [128]
      //   fc2 128 ReLU, dropout 0.5       [128]
      //   predictions 10 (logits)         [10]
      return vgg({ depth: 11, widthMultiplier: 0.125, fcUnits: 128, inputShape: [28, 28, 1], numClasses: 10 });
    case 'alexnet-mini':
      // AlexNet's layer pattern sized for 28x28 digits: 380,042 parameters, 6x LeNet-5's.
      //   input                                   [28, 28, 1]
      //   conv1 32@5x5 'same' ReLU, LRN           [28, 28, 32]
      //   pool1 max 3x3 stride 2 (overlapping)    [13, 13, 32]   floor((28 − 3) / 2) + 1 = 13
      //   conv2 64@5x5 'same' ReLU, LRN           [13, 13, 64]
      //   pool2 max 3x3 stride 2                  [6, 6, 64]
      //   conv3 96@3x3, conv4 96@3x3              [6, 6, 96]
      //   conv5 64@3x3                            [6, 6, 64]
      //   pool5 max 3x3 stride 2                  [2, 2, 64]
      //   flatten                                 [256]
      //   fc6 256 ReLU, dropout 0.5               [256]
      //   fc7 256 ReLU, dropout 0.5               [256]
      //   fc8 10 (logits)                         [10]
      return alexnetMini();
    case 'mlp':
      // No convolutions at all, for comparison: every pixel connects to every hidden unit, so the
      // model has to learn separately that a stroke means the same thing wherever it is.
      // 235,146 parameters, 4x LeNet-5's, and it still ends below it on the test set.
      //   input                           [28, 28, 1]
      //   flatten                         [784]
      //   fc1 256 units, ReLU             [256]          200,960 params (784·256 + 256)
      //   fc2 128 units, ReLU             [128]          32,896 params
      //   fc3 10 units (logits)           [10]           1,290 params
      return new Sequential(
        [
          new Flatten({ name: 'flatten', inputShape: [28, 28, 1] }),
          new Dense({ name: 'fc1', units: 256, activation: 'relu' }),
          new Dense({ name: 'fc2', units: 128, activation: 'relu' }),
          new Dense({ name: 'fc3', units: 10 }),
        ],
        { name: 'mlp' },
      );
    case 'resnet-mini':
      // A residual network (He et al., 2016): 78,426 parameters, built from resnet18's basic blocks.
      // A functional model, not a Sequential: each block's input is added back to its output,
      //   y = relu(F(x) + shortcut(x)),   F = conv 3x3, BN, relu, conv 3x3, BN,
      // so the layers form a graph with two paths per block, not a chain.
      //   input                                  [28, 28, 1]
      //   conv1 16@3x3 stride 2, BN, ReLU        [14, 14, 16]   pad 1 all round, then (30 − 3) / 2 + 1 = 14
      //   layer1_0  block, 16 channels           [14, 14, 16]   shortcut: x itself
      //   layer2_0  block, 32, stride 2          [7, 7, 32]     shortcut: 1x1 conv stride 2 + BN (the shapes differ)
      //   layer3_0  block, 64, stride 2          [4, 4, 64]
      //   avgpool  mean of each 4x4 map          [64]
      //   fc 10 units (logits)                   [10]           650 params: no big Dense layer at all
      return resnetMini();
  }
}
